package dev.labdesk.worker.chat.store;

import dev.labdesk.model.ChatMessage;

/** The conversation-store contract in memory; its bytes are an estimate of the messages' size on the heap. */
class InMemoryConversationStoreTest extends ConversationStoreContract {
    @Override
    ConversationStore store(Bounds b) {
        return new InMemoryConversationStore(b.maxUsers(), b.maxMessagesPerUser(), b.bytesPerUser(), b.bytesTotal(), b.idle(), nowMillis::get);
    }

    @Override
    long bytes(ChatMessage message) {
        return InMemoryConversationStore.bytes(message);
    }
}
