package dev.labdesk.worker.chat;

import dev.labdesk.model.ChatMode;

/**
 * Writes the reply to one user message, streaming it into a {@link Reply}: a model through
 * openai-java ({@link LlmChatAgent}) or the offline guided interview ({@link OfflineInterviewAgent}).
 * Called on a virtual thread of its own, so it may block.
 */
public interface ChatAgent {

    ChatMode mode();

    /**
     * Streams the reply to {@code turn.message()}. Returns when the reply is complete or was stopped
     * ({@link Reply#stopped()}); throws when the reply cannot be written (the conversation goes on).
     */
    void reply(Turn turn, Reply reply) throws ChatAgentException;
}
