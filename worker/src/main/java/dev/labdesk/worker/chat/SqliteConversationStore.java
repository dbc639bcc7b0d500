package dev.labdesk.worker.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.SourcedProfile;
import dev.labdesk.worker.sqlite.Database;
import dev.labdesk.worker.sqlite.Handle;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Conversations and profiles in the worker's database, bounded like the in-memory store: at most
 * {@code maxMessagesPerUser} messages per user (the oldest go, and their idempotency with them) and at
 * most {@code maxUsers} users (the one touched least recently goes whole), and a user untouched for the
 * retention time goes ({@link #expire}). Every turn reads a conversation several times, so the users
 * in use are also held in memory, loaded from the database on first use; a write goes to the database
 * first (returning once durable) and then to memory. Reads only record when they touched a user, in the
 * background: losing that in a crash costs nothing.
 */
public final class SqliteConversationStore implements ConversationStore {
    private static final int STRIPES = 1024;

    private final Database db;
    private final ObjectMapper mapper;
    private final int maxUsers;
    private final int maxMessagesPerUser;
    private final Clock clock;
    /** Users loaded from the database; a user the database lets go of leaves it too. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Orders a user's load and writes, so memory holds what the database holds, in its order. */
    private final Object[] stripes = new Object[STRIPES];
    private final AtomicLong lastTouch = new AtomicLong();

    private record Cached(List<ChatMessage> messages, SourcedProfile profile) {}

    public SqliteConversationStore(Database db, ObjectMapper mapper, Clock clock) {
        this(db, mapper, clock, InMemoryConversationStore.DEFAULT_MAX_USERS, InMemoryConversationStore.DEFAULT_MAX_MESSAGES_PER_USER);
    }

    public SqliteConversationStore(Database db, ObjectMapper mapper, Clock clock, int maxUsers, int maxMessagesPerUser) {
        if (maxUsers < 1 || maxMessagesPerUser < 2) throw new IllegalArgumentException("limits must be positive");
        this.db = db;
        this.mapper = mapper;
        this.clock = clock;
        this.maxUsers = maxUsers;
        this.maxMessagesPerUser = maxMessagesPerUser;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
    }

    private Object stripe(String userId) {
        return stripes[Math.floorMod(userId.hashCode(), STRIPES)];
    }

    /** Microseconds, strictly increasing: two touches in one microsecond still have an order. */
    private long touchTime() {
        long now = clock.millis() * 1_000;
        return lastTouch.updateAndGet(prev -> Math.max(prev + 1, now));
    }

    /** The user's conversation, loaded from the database if it is not in memory; empty for an unknown user. */
    private Optional<Cached> find(String userId, boolean touch) {
        var c = cache.get(userId);
        if (c == null) {
            synchronized (stripe(userId)) {
                c = cache.get(userId);
                if (c == null) {
                    c = db.read(h -> load(h, userId)).orElse(null);
                    if (c != null) cache.put(userId, c);
                }
            }
        }
        if (c != null && touch) {
            long at = touchTime();
            db.submit(h -> h.update("UPDATE chat_users SET touched = ? WHERE user_id = ?", at, userId));
        }
        return Optional.ofNullable(c);
    }

    private Optional<Cached> load(Handle h, String userId) throws SQLException {
        var u = h.prepare("SELECT profile FROM chat_users WHERE user_id = ?");
        u.setString(1, userId);
        SourcedProfile profile;
        try (var rs = u.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            var json = rs.getString(1);
            profile = json == null ? SourcedProfile.EMPTY : read(json, SourcedProfile.class);
        }
        var m = h.prepare("SELECT json FROM chat_messages WHERE user_id = ? ORDER BY n");
        m.setString(1, userId);
        var messages = new ArrayList<ChatMessage>();
        try (var rs = m.executeQuery()) {
            while (rs.next()) messages.add(read(rs.getString(1), ChatMessage.class));
        }
        return Optional.of(new Cached(List.copyOf(messages), profile));
    }

    @Override
    public List<ChatMessage> history(String userId) {
        return find(userId, true).map(Cached::messages).orElse(List.of());
    }

    @Override
    public void append(String userId, ChatMessage message) {
        var json = json(message);
        var about = message.fromUser() ? message.clientMessageId() : message.replyTo();
        List<String> evicted;
        synchronized (stripe(userId)) {
            var current = find(userId, false).orElse(new Cached(List.of(), SourcedProfile.EMPTY));
            long at = touchTime();
            evicted = db.write(h -> {
                var gone = upsertUser(h, userId, at);
                long n = h.queryLong("SELECT max(n) FROM chat_messages WHERE user_id = ?", 0, userId) + 1;
                h.update("INSERT INTO chat_messages (user_id, n, about, from_user, json) VALUES (?, ?, ?, ?, ?)",
                        userId, n, about, message.fromUser() ? 1 : 0, json);
                if (n > maxMessagesPerUser) h.update("DELETE FROM chat_messages WHERE user_id = ? AND n <= ?", userId, n - maxMessagesPerUser);
                return gone;
            });
            var messages = new ArrayList<ChatMessage>(Math.min(current.messages().size() + 1, maxMessagesPerUser));
            var before = current.messages();
            messages.addAll(before.subList(Math.max(0, before.size() + 1 - maxMessagesPerUser), before.size()));
            messages.add(message);
            cache.put(userId, new Cached(List.copyOf(messages), current.profile()));
        }
        forget(evicted);
    }

    /**
     * Drops users the database let go of from memory, each under its own stripe (so a write of theirs
     * that went to the database before cannot put them back after), after the writer's stripe is released.
     */
    private void forget(List<String> evicted) {
        for (var id : evicted) {
            synchronized (stripe(id)) {
                cache.remove(id);
            }
        }
    }

    /**
     * Records the user (touched now), and if that makes one user too many, removes the one touched
     * least recently (never this one); returns the users removed.
     */
    private List<String> upsertUser(Handle h, String userId, long at) throws SQLException {
        int added = h.update("INSERT INTO chat_users (user_id, touched) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING", userId, at);
        if (added == 0) {
            h.update("UPDATE chat_users SET touched = ? WHERE user_id = ?", at, userId);
            return List.of();
        }
        long users = h.queryLong("SELECT count(*) FROM chat_users", 0);
        if (users <= maxUsers) return List.of();
        var s = h.prepare("SELECT user_id FROM chat_users WHERE user_id <> ? ORDER BY touched LIMIT ?");
        s.setString(1, userId);
        s.setLong(2, users - maxUsers);
        var gone = new ArrayList<String>();
        try (var rs = s.executeQuery()) {
            while (rs.next()) gone.add(rs.getString(1));
        }
        for (var id : gone) removeUser(h, id);
        return gone;
    }

    private static void removeUser(Handle h, String userId) throws SQLException {
        h.update("DELETE FROM chat_messages WHERE user_id = ?", userId);
        h.update("DELETE FROM chat_users WHERE user_id = ?", userId);
    }

    @Override
    public Optional<ChatMessage> userMessage(String userId, String clientMessageId) {
        return find(userId, true).flatMap(c -> newest(c.messages(), clientMessageId, true));
    }

    @Override
    public Optional<ChatMessage> replyTo(String userId, String clientMessageId) {
        return find(userId, true).flatMap(c -> newest(c.messages(), clientMessageId, false));
    }

    private static Optional<ChatMessage> newest(List<ChatMessage> messages, String clientMessageId, boolean fromUser) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            var m = messages.get(i);
            if (m.fromUser() == fromUser && clientMessageId.equals(fromUser ? m.clientMessageId() : m.replyTo())) return Optional.of(m);
        }
        return Optional.empty();
    }

    @Override
    public SourcedProfile profile(String userId) {
        return find(userId, true).map(Cached::profile).orElse(SourcedProfile.EMPTY);
    }

    @Override
    public void saveProfile(String userId, SourcedProfile profile) {
        var json = json(profile);
        List<String> evicted;
        synchronized (stripe(userId)) {
            var current = find(userId, false).orElse(new Cached(List.of(), SourcedProfile.EMPTY));
            long at = touchTime();
            evicted = db.write(h -> {
                var gone = upsertUser(h, userId, at);
                h.update("UPDATE chat_users SET profile = ? WHERE user_id = ?", json, userId);
                return gone;
            });
            cache.put(userId, new Cached(current.messages(), profile));
        }
        forget(evicted);
    }

    @Override
    public boolean contains(String userId) {
        return find(userId, true).isPresent();
    }

    /** Removes the users untouched since {@code cutoff}, as Redis expires a conversation; returns how many. */
    public int expire(Instant cutoff) {
        long before = cutoff.toEpochMilli() * 1_000;
        var gone = db.write(h -> {
            var s = h.prepare("SELECT user_id FROM chat_users WHERE touched < ?");
            s.setLong(1, before);
            var ids = new ArrayList<String>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
            for (var id : ids) removeUser(h, id);
            return ids;
        });
        for (var id : gone) {
            synchronized (stripe(id)) {
                cache.remove(id);
            }
        }
        return gone.size();
    }

    @Override
    public String kind() {
        return "sqlite";
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored " + type.getSimpleName() + " did not parse", e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
