package dev.labdesk.worker.chat.transport;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatRules;
import dev.labdesk.model.ProfileField;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A client's text frame read into a {@link ClientCommand}: parsed and checked against the contract's
 * limits, whatever is wrong said in words the client can act on. Pure: no state, no I/O.
 */
public final class FrameReader {
    private final ObjectMapper mapper;
    private final ObjectReader clientFrames;

    public FrameReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.clientFrames = mapper.readerFor(ChatFrame.FromClient.class);
    }

    public ClientCommand read(String raw) {
        if (utf8Length(raw) > ChatRules.FRAME_MAX_BYTES)
            return refused("frame_too_large", "a frame may be at most " + ChatRules.FRAME_MAX_BYTES + " bytes");
        ChatFrame.FromClient frame;
        try {
            frame = clientFrames.readValue(raw);
        } catch (JsonProcessingException e) {
            return diagnose(raw);
        }
        return switch (frame) {
            case ChatFrame.Send send -> send(send);
            case ChatFrame.Stop stop -> new ClientCommand.StopReply();
            case ChatFrame.ProfileEdit edit -> edit(edit);
        };
    }

    private static ClientCommand send(ChatFrame.Send send) {
        var text = send.text();
        if (text == null || text.isBlank()) return refused("empty_text", "a message needs a non-empty \"text\"");
        if (text.length() > ChatRules.TEXT_MAX)
            return refused("text_too_long", "a message may be at most " + ChatRules.TEXT_MAX + " characters");
        var clientId = send.clientMessageId();
        if (clientId != null && !ChatRules.validClientMessageId(clientId))
            return refused("bad_client_message_id", "client_message_id " + ChatRules.clientMessageIdRule());
        return new ClientCommand.SendMessage(clientId, text);
    }

    private static ClientCommand edit(ChatFrame.ProfileEdit edit) {
        var field = edit.field() == null ? Optional.<ProfileField>empty() : ProfileField.find(edit.field());
        if (field.isEmpty())
            return refused("bad_profile_field", "unknown profile field '" + clip(String.valueOf(edit.field())) + "': one of "
                    + Arrays.stream(ProfileField.values()).map(ProfileField::wire).toList());
        var value = edit.value() == null || edit.value().isBlank() ? null : edit.value().strip();
        int max = field.get().maxLength();
        if (value != null && value.length() > max)
            return refused("profile_value_too_long", field.get().wire() + " may be at most " + max + " characters");
        return new ClientCommand.EditProfile(field.get(), value);
    }

    /** Why a frame did not parse. Only bad frames come here, so good ones are read in one pass. */
    private ClientCommand diagnose(String raw) {
        JsonNode node;
        try {
            node = mapper.readTree(raw);
        } catch (JsonProcessingException e) {
            return refused("bad_frame", "the frame is not valid JSON");
        }
        if (node == null || !node.isObject()) return refused("bad_frame", "a frame must be a JSON object with a \"type\"");
        var type = node.get("type");
        if (type == null || !type.isTextual())
            return refused("bad_frame", "the frame has no \"type\": send {\"type\":\"message\",\"client_message_id\":…,\"text\":…} or {\"type\":\"stop\"}");
        return switch (type.asText()) {
            case "message", "stop" -> refused("bad_frame", "the frame does not match its type: a \"message\" has a string \"text\" and \"client_message_id\"");
            case "profile_edit" -> refused("bad_frame", "a \"profile_edit\" has a string \"field\" and a string or null \"value\"");
            default -> refused("unknown_type", "unknown frame type '" + clip(type.asText()) + "': a client sends \"message\", \"stop\" or \"profile_edit\"");
        };
    }

    private static ClientCommand refused(String code, String message) {
        return new ClientCommand.Refused(ChatFrame.Error.of(code, message));
    }

    private static long utf8Length(String s) {
        if ((long) s.length() * 3 <= ChatRules.FRAME_MAX_BYTES) return s.length(); // cannot exceed: skip the count
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
