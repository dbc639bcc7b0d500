package dev.labdesk.worker.chat;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.SourcedProfile;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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

    private final int maxUsers;
    private final int maxMessagesPerUser;
    /**
     * Not a synchronized access-ordered map: every turn reads a conversation several times, and one
     * lock for all users made every turn of every user wait for the others'.
     */
    private final ConcurrentHashMap<String, Conversation> users = new ConcurrentHashMap<>();
    /** Orders touches, so the least recently used user is the one with the smallest stamp. */
    private final AtomicLong touches = new AtomicLong();

    public InMemoryConversationStore() {
        this(DEFAULT_MAX_USERS, DEFAULT_MAX_MESSAGES_PER_USER);
    }

    public InMemoryConversationStore(int maxUsers, int maxMessagesPerUser) {
        if (maxUsers < 1 || maxMessagesPerUser < 2) throw new IllegalArgumentException("limits must be positive");
        this.maxUsers = maxUsers;
        this.maxMessagesPerUser = maxMessagesPerUser;
    }

    /** One user's messages with indexes by client message id; guarded by its own monitor. */
    private static final class Conversation {
        final ArrayDeque<ChatMessage> messages = new ArrayDeque<>();
        final Map<String, ChatMessage> byClientId = new HashMap<>();
        final Map<String, ChatMessage> replies = new HashMap<>();
        SourcedProfile profile = SourcedProfile.EMPTY;
        volatile long touched;
    }

    private Optional<Conversation> find(String userId) {
        var c = users.get(userId);
        if (c == null) return Optional.empty();
        c.touched = touches.incrementAndGet();
        return Optional.of(c);
    }

    private Conversation getOrCreate(String userId) {
        var c = users.get(userId);
        if (c == null) {
            var fresh = new Conversation();
            c = users.putIfAbsent(userId, fresh);
            if (c == null) {
                c = fresh;
                c.touched = touches.incrementAndGet();
                if (users.size() > maxUsers) evictLeastRecentlyUsed(userId);
                return c;
            }
        }
        c.touched = touches.incrementAndGet();
        return c;
    }

    /**
     * Drops the user touched least recently (never the one just added). A scan of all users, but
     * only when a new user arrives at the limit; a turn of a known user never pays for it.
     */
    private void evictLeastRecentlyUsed(String keep) {
        while (users.size() > maxUsers) {
            Map.Entry<String, Conversation> eldest = null;
            for (var e : users.entrySet())
                if (!e.getKey().equals(keep) && (eldest == null || e.getValue().touched < eldest.getValue().touched)) eldest = e;
            if (eldest == null) return;
            users.remove(eldest.getKey(), eldest.getValue());
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
