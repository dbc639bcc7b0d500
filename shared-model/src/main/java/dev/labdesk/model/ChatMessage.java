package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;

/**
 * One stored message of a conversation. {@code id} is the worker's; a user message also carries the
 * {@code client_message_id} it was sent with (what makes resending idempotent), and an assistant
 * message names the client message it answers in {@code reply_to}.
 * In a {@code POST /extract-profile} conversation only {@code role} and {@code text} are required.
 * On the wire the ids come before the text, as in a {@code delta}: a reader that scans a frame for
 * the first id it knows (the peers' {@code ws-echo.js} does) finds what the frame answers, not an id
 * quoted in the text.
 */
@JsonPropertyOrder({"id", "role", "client_message_id", "reply_to", "status", "time", "text"})
public record ChatMessage(String id, ChatRole role, String text, MessageStatus status,
                          String clientMessageId, String replyTo, Instant time) {

    public static ChatMessage user(String id, String clientMessageId, String text, Instant time) {
        return new ChatMessage(id, ChatRole.USER, text, MessageStatus.COMPLETE, clientMessageId, null, time);
    }

    public static ChatMessage assistant(String id, String replyTo, String text, MessageStatus status, Instant time) {
        return new ChatMessage(id, ChatRole.ASSISTANT, text, status, null, replyTo, time);
    }

    public boolean fromUser() {
        return role == ChatRole.USER;
    }
}
