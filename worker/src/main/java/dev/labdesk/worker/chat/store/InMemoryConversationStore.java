package dev.labdesk.worker.chat.store;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.SourcedProfile;
import dev.labdesk.worker.Limits;

import java.time.Duration;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Conversations in this worker's memory, bounded so a busy or hostile client cannot grow it without
 * limit: per user at most {@code maxMessagesPerUser} messages and {@code bytesPerUser} bytes (its own
 * oldest are dropped, and with them the idempotency of their client message ids), and in all at most
 * {@code maxUsers} users and {@code bytesTotal} bytes: past either, a new conversation is refused
 * ({@link FullException}) while every existing one goes on. A flood of fresh user ids therefore
 * never pushes out a real conversation; conversations idle longer than {@code idle} make room.
 * Lost on restart; the database (SQLite) and Redis stores are the durable ones.
 */
public final class InMemoryConversationStore implements ConversationStore {
    /** 10,000 users × 200 messages of typical chat length stays in the low hundreds of MiB. */
    public static final int DEFAULT_MAX_USERS = 10_000;
    public static final int DEFAULT_MAX_MESSAGES_PER_USER = 200;
    /** Room beyond the limit in a full conversation's array. */
    private static final int SLACK = 16;

    private final int maxUsers;
    private final int maxMessagesPerUser;
    private final long bytesPerUser;
    private final long bytesTotal;
    private final long idleMillis;
    private final LongSupplier nowMillis;
    /** Bytes of every conversation's held messages (an estimate of their size in memory, see {@link #bytes}). */
    private final AtomicLong total = new AtomicLong();
    private static final long SWEEP_EVERY_MILLIS = 1_000;
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);
    /**
     * Not a synchronized access-ordered map: every turn reads a conversation several times, and one
     * lock for all users made every turn of every user wait for the others'.
     */
    private final ConcurrentHashMap<String, Conversation> users = new ConcurrentHashMap<>();

    public InMemoryConversationStore() {
        this(DEFAULT_MAX_USERS, DEFAULT_MAX_MESSAGES_PER_USER);
    }

    public InMemoryConversationStore(int maxUsers, int maxMessagesPerUser) {
        this(maxUsers, maxMessagesPerUser, Limits.defaults().chatBytesPerPrincipal(), Limits.defaults().chatBytesTotal(),
                Duration.ofDays(7), System::currentTimeMillis);
    }

    /** With the worker's limits: its chat byte bounds, and conversations idle for {@code idle} (the retention) making room. */
    public InMemoryConversationStore(Limits limits, Duration idle) {
        this(DEFAULT_MAX_USERS, DEFAULT_MAX_MESSAGES_PER_USER, limits.chatBytesPerPrincipal(), limits.chatBytesTotal(), idle,
                System::currentTimeMillis);
    }

    public InMemoryConversationStore(int maxUsers, int maxMessagesPerUser, long bytesPerUser, long bytesTotal, Duration idle,
                                     LongSupplier nowMillis) {
        if (maxUsers < 1 || maxMessagesPerUser < 2 || bytesPerUser < 1 || bytesTotal < 1) throw new IllegalArgumentException("limits must be positive");
        this.maxUsers = maxUsers;
        this.maxMessagesPerUser = maxMessagesPerUser;
        this.bytesPerUser = bytesPerUser;
        this.bytesTotal = bytesTotal;
        this.idleMillis = idle.toMillis();
        this.nowMillis = nowMillis;
    }

    /**
     * One user's messages; guarded by its own monitor. The messages are {@code window[from, to)} of an
     * array that is only ever appended to, so a history snapshot is a view of it, not a copy (every
     * turn takes one): a slot once written is never written again, and when the array is full the
     * messages kept move to a fresh one, which leaves older views intact.
     */
    private static final class Conversation {
        ChatMessage[] window = new ChatMessage[8];
        /** Per slot of {@link #window}, the hash of the client message id the message is about (see {@link #key}). */
        int[] keys = new int[8];
        int from;
        int to;
        /** Bytes of {@code window[from, to)}. */
        long bytes;
        SourcedProfile profile = SourcedProfile.EMPTY;
        volatile long usedAt;
    }

    private Optional<Conversation> find(String userId) {
        var c = users.get(userId);
        if (c == null) return Optional.empty();
        c.usedAt = nowMillis.getAsLong();
        return Optional.of(c);
    }

    private Conversation getOrCreate(String userId) {
        var c = users.get(userId);
        if (c == null) {
            if (!hasRoom()) throw full();
            var fresh = new Conversation();
            fresh.usedAt = nowMillis.getAsLong(); // before it is visible: a sweep must never take a new one for idle
            c = users.putIfAbsent(userId, fresh);
            if (c == null) c = fresh;
        }
        c.usedAt = nowMillis.getAsLong();
        return c;
    }

    @Override
    public boolean admits(String userId) {
        return users.containsKey(userId) || hasRoom();
    }

    /**
     * Room for one more conversation, after dropping the ones idle past their time if there was none.
     * That sweep scans every conversation, so a flood of new ids at a full store runs it at most once a second.
     */
    private boolean hasRoom() {
        if (users.size() < maxUsers && total.get() < bytesTotal) return true;
        long now = nowMillis.getAsLong(), last = lastSweep.get();
        if (now - last < SWEEP_EVERY_MILLIS || !lastSweep.compareAndSet(last, now)) return false;
        long oldest = now - idleMillis;
        for (var e : users.entrySet())
            if (e.getValue().usedAt < oldest && users.remove(e.getKey(), e.getValue()))
                synchronized (e.getValue()) {
                    total.addAndGet(-e.getValue().bytes);
                    e.getValue().bytes = 0;
                }
        return users.size() < maxUsers && total.get() < bytesTotal;
    }

    private FullException full() {
        return new FullException("the chat store is full (" + users.size() + " conversations, " + total.get() / 1024
                + " KiB): no new conversation can start now; existing ones go on");
    }

    /** What a message weighs in memory, about: its text and ids as UTF-16, and the objects around them. */
    static long bytes(ChatMessage m) {
        return 160L + 2L * (m.text() == null ? 0 : m.text().length()) + 2L * (m.id() == null ? 0 : m.id().length())
                + 2L * (m.clientMessageId() == null ? 0 : m.clientMessageId().length()) + 2L * (m.replyTo() == null ? 0 : m.replyTo().length());
    }

    @Override
    public List<ChatMessage> history(String userId) {
        return find(userId).map(c -> {
            synchronized (c) {
                return c.from == c.to ? List.<ChatMessage>of() : new Snapshot(c.window, c.from, c.to);
            }
        }).orElse(List.of());
    }

    @Override
    public void append(String userId, ChatMessage message) {
        var c = getOrCreate(userId);
        synchronized (c) {
            if (c.to == c.window.length) {
                int size = c.to - c.from;
                // Double while small; at the limit keep a little slack, so moving the kept messages
                // (a copy of the whole window) happens once every SLACK appends, not on each.
                int capacity = Math.min(Math.max(8, size * 2), maxMessagesPerUser + SLACK);
                if (capacity <= size) capacity = size + SLACK;
                var fresh = new ChatMessage[capacity];
                System.arraycopy(c.window, c.from, fresh, 0, size);
                var freshKeys = new int[capacity];
                System.arraycopy(c.keys, c.from, freshKeys, 0, size);
                c.window = fresh;
                c.keys = freshKeys;
                c.from = 0;
                c.to = size;
            }
            c.keys[c.to] = key(message);
            c.window[c.to++] = message;
            long added = bytes(message);
            c.bytes += added;
            // the slot keeps a dropped message for older snapshots until the next move
            long dropped = 0;
            while (c.to - c.from > 1 && (c.to - c.from > maxMessagesPerUser || c.bytes > bytesPerUser)) {
                long b = bytes(c.window[c.from++]);
                c.bytes -= b;
                dropped += b;
            }
            if (users.get(userId) == c) total.addAndGet(added - dropped);
            else c.bytes = 0; // dropped as idle meanwhile: what it held is no longer counted
        }
    }

    /** The client message id a message is found by: a user message's own, the one a reply answers. */
    private static String about(ChatMessage m) {
        return m.fromUser() ? m.clientMessageId() : m.replyTo();
    }

    private static int key(ChatMessage m) {
        var id = about(m);
        return id == null ? 0 : id.hashCode();
    }

    /**
     * The newest held user message ({@code fromUser}) or reply about {@code clientMessageId}. Every
     * new message looks itself up and finds nothing, so the scan runs over a conversation's keys, which sit
     * side by side in memory, and only a key that matches reaches its message: scanning the messages
     * themselves touches two scattered objects per message (docs/BENCHMARKS.md, the idempotency scan).
     * Not a hash index by id either: its two entries per turn would leave as much on the heap (for the
     * collector to copy) as the messages' own text.
     */
    private static Optional<ChatMessage> newest(Conversation c, String clientMessageId, boolean fromUser) {
        int key = clientMessageId.hashCode();
        var keys = c.keys;
        for (int i = c.to - 1; i >= c.from; i--) {
            var m = c.window[i];
            if (keys[i] == key && m.fromUser() == fromUser && clientMessageId.equals(about(m))) return Optional.of(m);
        }
        return Optional.empty();
    }

    /** A history as it was: slots of a conversation's array that are never written again. */
    private static final class Snapshot extends AbstractList<ChatMessage> implements RandomAccess {
        private final ChatMessage[] window;
        private final int from;
        private final int size;

        Snapshot(ChatMessage[] window, int from, int to) {
            this.window = window;
            this.from = from;
            this.size = to - from;
        }

        @Override
        public ChatMessage get(int index) {
            Objects.checkIndex(index, size);
            return window[from + index];
        }

        @Override
        public int size() {
            return size;
        }
    }

    @Override
    public Optional<ChatMessage> userMessage(String userId, String clientMessageId) {
        return find(userId).flatMap(c -> {
            synchronized (c) {
                return newest(c, clientMessageId, true);
            }
        });
    }

    @Override
    public Optional<ChatMessage> replyTo(String userId, String clientMessageId) {
        return find(userId).flatMap(c -> {
            synchronized (c) {
                return newest(c, clientMessageId, false);
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
