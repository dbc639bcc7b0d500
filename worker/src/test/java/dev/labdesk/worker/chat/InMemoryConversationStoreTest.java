package dev.labdesk.worker.chat;

/** The conversation-store contract on the in-memory store. */
class InMemoryConversationStoreTest extends ConversationStoreContract {
    @Override
    ConversationStore store(int maxUsers, int maxMessagesPerUser) {
        return new InMemoryConversationStore(maxUsers, maxMessagesPerUser);
    }
}
