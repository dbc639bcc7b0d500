package dev.labdesk.worker.chat.store;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.SourcedProfile;

import java.util.List;
import java.util.Optional;

/**
 * Where conversations live: in the worker's database for a single worker ({@link SqliteConversationStore}),
 * in Redis when several workers serve one URL, in memory where a test wants it ({@link InMemoryConversationStore}). Messages are append-only; the profile is replaced whole.
 */
public interface ConversationStore {

    /**
     * A new conversation refused because the store holds all it may ({@code chatBytesTotal}, or its
     * number of users): retryable, and no existing conversation was dropped to make room.
     */
    final class FullException extends RuntimeException {
        public FullException(String message) {
            super(message);
        }
    }

    /**
     * Whether {@code userId} may store a message now: a known conversation always may (it drops its
     * own oldest messages past its bound); a new one only while the store has room.
     */
    default boolean admits(String userId) {
        return true;
    }

    /** The user's stored messages, oldest first (empty for an unknown user): a snapshot that never changes. */
    List<ChatMessage> history(String userId);

    /**
     * Stores {@code message}. A store may return before a user message of a known conversation is
     * durable (so that it shares its reply's commit); it is durable once {@link #flush} or a later
     * write of the same conversation has returned. A reply is durable when this returns.
     *
     * @throws FullException when this would start a new conversation and the store has no room for one
     */
    void append(String userId, ChatMessage message);

    /**
     * Returns once every message of the user appended so far is durable: called before anything other
     * than a stored reply acknowledges a user message (a model's first delta). At once for a store
     * whose {@link #append} returns only once durable.
     */
    default void flush(String userId) {
    }

    /** The user message sent with {@code clientMessageId}, if it is still held. */
    Optional<ChatMessage> userMessage(String userId, String clientMessageId);

    /** The stored reply to the user message sent with {@code clientMessageId}, if there is one. */
    Optional<ChatMessage> replyTo(String userId, String clientMessageId);

    SourcedProfile profile(String userId);

    /** Like a user message's {@link #append}, it may return before it is durable; a later write of the conversation or {@link #flush} makes it so. */
    void saveProfile(String userId, SourcedProfile profile);

    boolean contains(String userId);

    /** For {@code /health}: which implementation this is. */
    String kind();
}
