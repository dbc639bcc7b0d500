package dev.labdesk.worker.redis;

import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ChatRules;
import dev.labdesk.model.SourcedProfile;
import dev.labdesk.worker.chat.ChatFrames;
import dev.labdesk.worker.chat.ChatRelay;
import dev.labdesk.worker.chat.ChatSocket;
import dev.labdesk.worker.chat.ConversationStore;
import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The chat relay of several worker instances on one Redis. Everything said to a user is appended to
 * the user's stream {@code labdesk:chat:{user}:live} (ids {@code 0-1, 0-2, …}, as in
 * {@link RedisEventLog}); each instance with sockets of that user runs one pump (a virtual thread)
 * that tails the stream through this relay's {@link StreamTail} and hands each entry to its sockets.
 * The instance writing a reply keeps its text so far in {@code …:partial} (message id, reply_to, text
 * and how many deltas it holds), updated in the same script that appends the delta, so a joining
 * socket on any instance gets: the history, the partial text as one delta, then only the deltas
 * after it — each entry carries its delta's index. The history and the stream are not written
 * atomically together, so a socket also remembers the message ids it has, and a message that
 * reached it in the history is not sent again. The user's sockets on the writing instance get their
 * frames through the stream too: one path for all.
 *
 * <p>{@code …:writer} names the instance writing the user's replies (and the client message it
 * answers); it expires {@link #WRITER_TTL} after the last delta, so the replies of an instance that
 * died are not blocked for long. {@code stop} goes over pub/sub ({@code labdesk:chat-stop}) to every
 * instance; the one writing stops. Bounded: the stream keeps about {@link #MAX_ENTRIES} entries
 * ({@code MAXLEN ~}) and expires with the conversation; a socket whose pump fell further behind than
 * that is closed (1013) and replayed on reconnect instead of silently skipping.
 */
public final class RedisChatRelay implements ChatRelay {
    private static final Logger log = LoggerFactory.getLogger(RedisChatRelay.class);
    static final int MAX_ENTRIES = 5_000;
    /** Longer than the model's allowed silence between two chunks (60 s), renewed with every delta. */
    static final Duration WRITER_TTL = Duration.ofMinutes(2);
    private static final int READ_BATCH = 512;
    private static final Duration TAIL_WAIT = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofMillis(500);

    // KEYS partial, live, writer; ARGV message id, reply_to, chunk, maxlen, ttl ms, writer ttl ms → the delta's index
    private static final String DELTA = """
            local n = 0
            if redis.call('HGET', KEYS[1], 'message_id') == ARGV[1] then
              n = tonumber(redis.call('HGET', KEYS[1], 'n'))
              redis.call('HSET', KEYS[1], 'text', redis.call('HGET', KEYS[1], 'text') .. ARGV[3], 'n', n + 1)
            else
              redis.call('DEL', KEYS[1])
              redis.call('HSET', KEYS[1], 'message_id', ARGV[1], 'reply_to', ARGV[2], 'text', ARGV[3], 'n', 1)
            end
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '0-*', 'k', 'd', 'm', ARGV[1], 'r', ARGV[2], 't', ARGV[3], 'i', n)
            redis.call('PEXPIRE', KEYS[1], ARGV[6])
            redis.call('PEXPIRE', KEYS[2], ARGV[5])
            redis.call('PEXPIRE', KEYS[3], ARGV[6])
            return n
            """;
    // KEYS partial, live; ARGV frame json, message id or '', except socket or '', ends message id or '', ends reply_to or '', maxlen, ttl ms
    private static final String FRAME = """
            if ARGV[4] ~= '' and redis.call('HGET', KEYS[1], 'message_id') == ARGV[4] then redis.call('DEL', KEYS[1]) end
            if ARGV[5] ~= '' and redis.call('HGET', KEYS[1], 'reply_to') == ARGV[5] then redis.call('DEL', KEYS[1]) end
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '0-*', 'k', 'f', 'f', ARGV[1], 'm', ARGV[2], 'x', ARGV[3])
            redis.call('PEXPIRE', KEYS[2], ARGV[7])
            return 1
            """;
    // KEYS live; ARGV first id wanted, count → {oldest entry, newest entry, entries from ARGV[1]}
    private static final String READ = """
            local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
            local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            local entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])
            return {first, last, entries}
            """;
    // KEYS writer; ARGV instance, reply_to, ttl ms → 1 when this instance holds it now
    private static final String CLAIM = """
            local cur = redis.call('GET', KEYS[1])
            if cur and string.sub(cur, 1, #ARGV[1] + 1) ~= ARGV[1] .. ' ' then return 0 end
            redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2], 'PX', ARGV[3])
            return 1
            """;
    private static final String RELEASE = """
            local cur = redis.call('GET', KEYS[1])
            if cur and string.sub(cur, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then redis.call('DEL', KEYS[1]) end
            return 1
            """;

    private final RedisBackend redis;
    private final RedisPubSub pubSub;
    private final ConversationStore store;
    private final ChatFrames frames;
    private final Duration ttl;
    private final StreamTail tail;
    private final String instance = UUID.randomUUID().toString();
    private final String stopChannel;
    private final ConcurrentHashMap<String, Local> users = new ConcurrentHashMap<>();
    private volatile Consumer<String> stopHere = userId -> { };
    private volatile boolean closed;

    RedisChatRelay(RedisBackend redis, RedisPubSub pubSub, ConversationStore store, ChatFrames frames, Duration ttl) {
        this.redis = redis;
        this.pubSub = pubSub;
        this.store = store;
        this.frames = frames;
        this.ttl = ttl;
        this.tail = new StreamTail(redis);
        this.stopChannel = redis.key("chat-stop");
        pubSub.listen(stopChannel, userId -> stopHere.accept(userId));
    }

    /** One user's sockets on this instance, what each has been sent, and whether a pump runs for them. */
    private static final class Local {
        final ReentrantLock lock = new ReentrantLock();
        final Map<ChatSocket, View> sockets = new ConcurrentHashMap<>();
        boolean pumping;
        boolean retired;
    }

    /** What one socket has: entries up to {@code after}, these message ids, so many deltas of these replies. */
    private static final class View {
        long after;
        final Set<String> seen = new HashSet<>();
        final Map<String, Integer> deltas = new HashMap<>();

        View(long after) {
            this.after = after;
        }
    }

    private record Entry(long seq, Map<String, String> fields) {}

    private record Read(long first, long last, List<Entry> entries) {}

    private String key(String userId, String part) {
        return redis.key("chat", userId, part);
    }

    private Local lock(String userId) {
        while (true) {
            var u = users.computeIfAbsent(userId, k -> new Local());
            u.lock.lock();
            if (!u.retired) return u;
            u.lock.unlock();
        }
    }

    private void unlock(String userId, Local u) {
        if (u.sockets.isEmpty() && !u.pumping) {
            u.retired = true;
            users.remove(userId, u);
        }
        u.lock.unlock();
    }

    @Override
    public void join(ChatSocket socket, ChatMode mode) {
        var userId = socket.userId();
        var u = lock(userId);
        try {
            // The stream's position first: whatever the history and the partial text below hold is older
            long last = read(userId, Long.MAX_VALUE, 1).last();
            var history = store.history(userId);
            var profile = store.profile(userId);
            var partial = redis.call(c -> c.hgetall(key(userId, "partial")));
            var view = new View(last);
            history.forEach(m -> view.seen.add(m.id()));
            for (var frame : frames.history(history, mode, profile, ChatRules.HISTORY_FRAME_MAX_BYTES)) socket.send(frame);
            var messageId = partial.get("message_id");
            if (messageId != null && !view.seen.contains(messageId) && !partial.getOrDefault("text", "").isEmpty()) {
                socket.send(frames.json(new ChatFrame.Delta(messageId, partial.get("reply_to"), partial.get("text"))));
                view.deltas.put(messageId, Integer.parseInt(partial.get("n")));
            }
            u.sockets.put(socket, view);
            if (!u.pumping) {
                u.pumping = true;
                Thread.ofVirtual().name("chat-relay-" + userId).start(() -> pump(userId, u, last));
            }
        } finally {
            unlock(userId, u);
        }
    }

    @Override
    public void leave(ChatSocket socket) {
        var u = lock(socket.userId());
        u.sockets.remove(socket);
        unlock(socket.userId(), u); // the pump notices and ends
    }

    /** Hands the user's stream to this instance's sockets of that user, until none is left. */
    private void pump(String userId, Local u, long pos) {
        var key = key(userId, "live");
        while (true) {
            Read read;
            try {
                read = read(userId, pos, READ_BATCH);
            } catch (RuntimeException e) { // Redis down (or the worker closing under us: the check below ends the pump)
                if (!(e instanceof RedisUnavailableException) && !closed) log.warn("chat relay of user {}: {}", userId, e.toString());
                read = null;
            }
            u.lock.lock();
            try {
                if (u.sockets.isEmpty() || closed) {
                    u.pumping = false;
                    return;
                }
                if (read != null) pos = deliver(u, read, pos);
            } finally {
                unlock(userId, u);
            }
            try {
                if (read == null) Thread.sleep(RETRY); // Redis is down: try again shortly (sockets stay open)
                else if (read.entries().isEmpty()) tail.await(key, pos, TAIL_WAIT);
            } catch (RuntimeException e) {
                if (closed) return;
                log.warn("chat relay of user {}: waiting failed: {}", userId, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Under the user's lock: hands {@code read} to the sockets; returns the new position. */
    private long deliver(Local u, Read read, long pos) {
        if (read.last() < pos) {
            // the stream expired and began again at 0-1: everyone follows it from there
            u.sockets.values().forEach(v -> v.after = 0);
            return 0;
        }
        if (read.first() > pos + 1) {
            // entries were trimmed before this instance handed them on: reconnecting replays the conversation
            for (var socket : u.sockets.keySet()) socket.close(1013, "fell behind the conversation; reconnect");
            u.sockets.clear();
            return read.last();
        }
        for (var e : read.entries()) {
            for (var s : u.sockets.entrySet()) if (e.seq() > s.getValue().after) deliver(s.getKey(), s.getValue(), e);
            pos = e.seq();
        }
        return pos;
    }

    private void deliver(ChatSocket socket, View view, Entry e) {
        view.after = e.seq();
        var f = e.fields();
        var messageId = f.getOrDefault("m", "");
        if ("d".equals(f.get("k"))) {
            if (view.seen.contains(messageId)) return;
            int index = Integer.parseInt(f.get("i"));
            int sent = view.deltas.getOrDefault(messageId, 0);
            if (index < sent) return; // in the partial text this socket was sent when it joined
            socket.send(frames.json(new ChatFrame.Delta(messageId, sent == 0 ? f.get("r") : null, f.get("t"))));
            view.deltas.put(messageId, index + 1);
            return;
        }
        if (socket.id().equals(f.get("x"))) return;
        if (!messageId.isEmpty()) {
            if (!view.seen.add(messageId)) return; // it came in the history
            view.deltas.remove(messageId);
        }
        socket.send(f.get("f"));
    }

    /** Entries after {@code afterSeq} (at most {@code max}) and the stream's oldest and newest ids. */
    @SuppressWarnings("unchecked")
    private Read read(String userId, long afterSeq, int max) {
        var from = afterSeq == Long.MAX_VALUE ? "+" : "0-" + (afterSeq + 1);
        List<Object> reply = redis.call(c -> c.eval(READ, ScriptOutputType.MULTI, new String[] {key(userId, "live")},
                from, Integer.toString(max)));
        var entries = new java.util.ArrayList<Entry>();
        for (var raw : (List<Object>) reply.get(2)) {
            var pair = (List<Object>) raw;
            var list = (List<Object>) pair.get(1);
            var fields = new HashMap<String, String>();
            for (int i = 0; i + 1 < list.size(); i += 2) fields.put((String) list.get(i), (String) list.get(i + 1));
            entries.add(new Entry(RedisEventLog.seqOf((String) pair.get(0)), fields));
        }
        return new Read(idOf(reply.get(0)), idOf(reply.get(1)), afterSeq == Long.MAX_VALUE ? List.of() : entries);
    }

    @SuppressWarnings("unchecked")
    private static long idOf(Object range) {
        var list = (List<Object>) range;
        return list.isEmpty() ? 0 : RedisEventLog.seqOf((String) ((List<Object>) list.getFirst()).getFirst());
    }

    @Override
    public void message(String userId, ChatMessage message, ChatSocket except) {
        store.append(userId, message);
        frame(userId, frames.json(new ChatFrame.Message(message)), message.id(), except, message.fromUser() ? "" : message.id(), "");
    }

    @Override
    public void delta(String userId, String messageId, String replyTo, String chunk) {
        redis.call(c -> c.eval(DELTA, ScriptOutputType.INTEGER,
                new String[] {key(userId, "partial"), key(userId, "live"), key(userId, "writer")},
                messageId, replyTo == null ? "" : replyTo, chunk, Integer.toString(MAX_ENTRIES),
                Long.toString(ttl.toMillis()), Long.toString(WRITER_TTL.toMillis())));
    }

    @Override
    public void profile(String userId, SourcedProfile profile) {
        store.saveProfile(userId, profile);
        frame(userId, frames.json(ChatFrame.ProfileUpdate.of(profile)), "", null, "", "");
    }

    @Override
    public void failed(String userId, ChatFrame.Error error) {
        frame(userId, frames.json(error), "", null, "", error.replyTo() == null ? "" : error.replyTo());
    }

    private void frame(String userId, String json, String messageId, ChatSocket except, String endsMessage, String endsReplyTo) {
        redis.call(c -> c.eval(FRAME, ScriptOutputType.INTEGER, new String[] {key(userId, "partial"), key(userId, "live")},
                json, messageId, except == null ? "" : except.id(), endsMessage, endsReplyTo,
                Integer.toString(MAX_ENTRIES), Long.toString(ttl.toMillis())));
    }

    @Override
    public void stop(String userId) {
        pubSub.publish(stopChannel, userId); // this instance hears it too: one path, wherever the reply is written
    }

    @Override
    public void onStop(Consumer<String> stopHere) {
        this.stopHere = stopHere;
    }

    @Override
    public boolean claimWriter(String userId, String replyTo) {
        Long held = redis.call(c -> c.eval(CLAIM, ScriptOutputType.INTEGER, new String[] {key(userId, "writer")},
                instance, replyTo, Long.toString(WRITER_TTL.toMillis())));
        return held != null && held == 1;
    }

    @Override
    public Optional<String> writingElsewhere(String userId) {
        var current = redis.call(c -> c.get(key(userId, "writer")));
        if (current == null || current.startsWith(instance + " ")) return Optional.empty();
        return Optional.of(current.substring(current.indexOf(' ') + 1));
    }

    @Override
    public void releaseWriter(String userId) {
        redis.call(c -> c.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key(userId, "writer")}, instance));
    }

    @Override
    public void forEachSocket(Consumer<ChatSocket> action) {
        for (var u : users.values()) u.sockets.keySet().forEach(action);
    }

    @Override
    public void close() {
        closed = true;
        tail.close();
    }
}
