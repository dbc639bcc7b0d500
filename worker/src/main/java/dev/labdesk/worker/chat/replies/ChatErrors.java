package dev.labdesk.worker.chat.replies;


import dev.labdesk.model.ChatFrame;

/** The retryable {@code error} frames of a message or frame the worker cannot take now. */
final class ChatErrors {
    private ChatErrors() {}

    /** More than {@link ReplyQueue#MAX_QUEUED} messages of the user wait for a reply. */
    static ChatFrame.Error busy(String clientId) {
        return new ChatFrame.Error("busy", "too many messages waiting for a reply; send it again shortly", true, clientId);
    }

    /**
     * Replies of one user are written by one instance at a time, so that they stay in order and each
     * sees the one before; a message arriving at another instance meanwhile is refused like one over
     * {@link ReplyQueue#MAX_QUEUED}.
     */
    static ChatFrame.Error busyElsewhere(String clientId) {
        return new ChatFrame.Error("busy", "a reply to an earlier message is being written on another worker instance; "
                + "send this message again when it is complete", true, clientId);
    }

    /** A new conversation refused: the store holds all it may; retryable, as conversations end and make room. */
    static ChatFrame.Error storeFull(String clientId) {
        return new ChatFrame.Error("store_full", "the worker holds as many conversations as it may: a new one "
                + "cannot start now; try again later (existing conversations are not affected)", true, clientId);
    }

    /** The store or relay failed (e.g. Redis down). */
    static ChatFrame.Error unavailable(String message) {
        return new ChatFrame.Error("unavailable", message, true, null);
    }
}
