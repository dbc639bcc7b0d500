package dev.labdesk.worker.chat.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.SourcedProfile;

import java.util.ArrayList;
import java.util.List;

/** Worker → client frames as the JSON text a socket sends (the contract's snake_case, with {@code type}). */
public final class ChatFrames {
    private final ObjectWriter writer;
    private final ObjectWriter messageWriter;

    public ChatFrames(ObjectMapper mapper) {
        this.writer = mapper.writerFor(ChatFrame.FromWorker.class);
        this.messageWriter = mapper.writerFor(ChatMessage.class);
    }

    /**
     * The {@code history} frames of a conversation, each at most {@code maxBytes} of UTF-8 (a single
     * message larger than that, which the text limits rule out, would go alone in its frame).
     */
    public List<String> history(List<ChatMessage> messages, ChatMode mode, SourcedProfile profile, int maxBytes) {
        var whole = json(new ChatFrame.History(messages, mode, profile));
        if (utf8Length(whole) <= maxBytes) return List.of(whole);
        // the envelope (type, mode, profile, more) is at most what the last page carries with no message
        int envelope = utf8Length(json(new ChatFrame.History(List.of(), mode, profile, false))) + 16;
        var frames = new ArrayList<String>();
        var page = new ArrayList<ChatMessage>();
        long bytes = envelope;
        for (var m : messages) {
            int size = utf8Length(json(m)) + 1; // and its comma
            if (!page.isEmpty() && bytes + size > maxBytes) {
                frames.add(json(new ChatFrame.History(page, mode, null, true)));
                page = new ArrayList<>();
                bytes = envelope;
            }
            page.add(m);
            bytes += size;
        }
        frames.add(json(new ChatFrame.History(page, mode, profile, false)));
        return frames;
    }

    private String json(ChatMessage message) {
        try {
            return messageWriter.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chat message not serialisable", e);
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }

    public String json(ChatFrame.FromWorker frame) {
        try {
            return writer.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chat frame not serialisable", e);
        }
    }
}
