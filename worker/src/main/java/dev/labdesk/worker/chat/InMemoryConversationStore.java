package dev.labdesk.worker.chat;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.SourcedProfile;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conversations in this worker's memory, bounded twice so a busy or hostile client cannot grow it
 * without limit: at most {@code maxMessagesPerUser} messages per user (the oldest are dropped, and with
 * them the idempotency of their client message ids) and at most {@code maxUsers} users (the one
 * touched least recently is dropped whole). Lost on restart; Redis is the durable implementation.
 */
public final class InMemoryConversationStore implements ConversationStore {
    /** 10,000 users × 200 messages of typical chat length stays in the low hundreds of MiB. */
    public static final int DEFAULT_MAX_USERS = 10_000;
    public static final int DEFAULT_MAX_MESSAGES_PER_USER = 200;

    private final int maxMessagesPerUser;
    private final Map<String, Conversation> users;

    public InMemoryConversationStore() {
        this(DEFAULT_MAX_USERS, DEFAULT_MAX_MESSAGES_PER_USER);
    }

    public InMemoryConversationStore(int maxUsers, int maxMessagesPerUser) {
        if (maxUsers < 1 || maxMessagesPerUser < 2) throw new IllegalArgumentException("limits must be positive");
        this.maxMessagesPerUser = maxMessagesPerUser;
        // access order: get() counts as a touch, so the eldest entry is the least recently used user
        this.users = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Conversation> eldest) {
                return size() > maxUsers;
            }
        };
    }

    /** One user's messages with indexes by client message id; guarded by its own monitor. */
    private static final class Conversation {
        final ArrayDeque<ChatMessage> messages = new ArrayDeque<>();
        final Map<String, ChatMessage> byClientId = new HashMap<>();
        final Map<String, ChatMessage> replies = new HashMap<>();
        SourcedProfile profile = SourcedProfile.EMPTY;
    }

    private Optional<Conversation> find(String userId) {
        synchronized (users) {
            return Optional.ofNullable(users.get(userId));
        }
    }

    private Conversation getOrCreate(String userId) {
        synchronized (users) {
            return users.computeIfAbsent(userId, k -> new Conversation());
        }
    }

    @Override
    public List<ChatMessage> history(String userId) {
        return find(userId).map(c -> {
            synchronized (c) {
                return List.copyOf(c.messages);
            }
        }).orElse(List.of());
    }

    @Override
    public void append(String userId, ChatMessage message) {
        var c = getOrCreate(userId);
        synchronized (c) {
            c.messages.addLast(message);
            if (message.fromUser() && message.clientMessageId() != null) c.byClientId.put(message.clientMessageId(), message);
            if (!message.fromUser() && message.replyTo() != null) c.replies.put(message.replyTo(), message);
            while (c.messages.size() > maxMessagesPerUser) {
                var dropped = c.messages.removeFirst();
                if (dropped.clientMessageId() != null) c.byClientId.remove(dropped.clientMessageId(), dropped);
                if (dropped.replyTo() != null) c.replies.remove(dropped.replyTo(), dropped);
            }
        }
    }

    @Override
    public Optional<ChatMessage> userMessage(String userId, String clientMessageId) {
        return find(userId).flatMap(c -> {
            synchronized (c) {
                return Optional.ofNullable(c.byClientId.get(clientMessageId));
            }
        });
    }

    @Override
    public Optional<ChatMessage> replyTo(String userId, String clientMessageId) {
        return find(userId).flatMap(c -> {
            synchronized (c) {
                return Optional.ofNullable(c.replies.get(clientMessageId));
            }
        });
    }

    @Override
    public SourcedProfile profile(String userId) {
        return find(userId).map(c -> {
            synchronized (c) {
                return c.profile;
            }
        }).orElse(SourcedProfile.EMPTY);
    }

    @Override
    public void saveProfile(String userId, SourcedProfile profile) {
        var c = getOrCreate(userId);
        synchronized (c) {
            c.profile = profile;
        }
    }

    @Override
    public boolean contains(String userId) {
        return find(userId).isPresent();
    }

    @Override
    public String kind() {
        return "memory";
    }
}
