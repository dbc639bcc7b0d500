package dev.labdesk.model;

import java.time.Instant;

/**
 * One stored message of a conversation. {@code id} is the worker's; a user message also carries the
 * {@code client_message_id} it was sent with (what makes resending idempotent), and an assistant
 * message names the client message it answers in {@code reply_to}.
 * In a {@code POST /extract-profile} conversation only {@code role} and {@code text} are required.
 */
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
