package dev.labdesk.worker.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.labdesk.model.ChatFrame;

/** Worker → client frames as the JSON text a socket sends (the contract's snake_case, with {@code type}). */
public final class ChatFrames {
    private final ObjectWriter writer;

    public ChatFrames(ObjectMapper mapper) {
        this.writer = mapper.writerFor(ChatFrame.FromWorker.class);
    }

    public String json(ChatFrame.FromWorker frame) {
        try {
            return writer.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chat frame not serialisable", e);
        }
    }
}
