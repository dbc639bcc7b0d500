package dev.labdesk.worker.chat.agents;

import dev.labdesk.model.ChatMode;

/**
 * Writes the reply to one user message, streaming it into a {@link Reply}: a model through
 * openai-java ({@link LlmChatAgent}) or the offline guided interview ({@link OfflineInterviewAgent}).
 * Called on a virtual thread of its own, so it may block.
 */
public interface ChatAgent {

    ChatMode mode();

    /**
     * True for an agent that answers from memory without waiting on I/O (the offline interview): its
     * replies are written on the thread that received the message, saving two thread hand-offs per
     * message. An agent that waits on a model must return false, so a {@code stop} frame can still be
     * read while it writes. Such a reply is also sent whole, as the final {@code message} frame without
     * any {@code delta}: its text exists at once, so streaming it would only cost another frame.
     */
    boolean answersAtOnce();

    /**
     * Streams the reply to {@code turn.message()}. Returns when the reply is complete or was stopped
     * ({@link Reply#stopped()}); throws when the reply cannot be written (the conversation goes on).
     */
    void reply(Turn turn, Reply reply) throws ChatAgentException;
}
