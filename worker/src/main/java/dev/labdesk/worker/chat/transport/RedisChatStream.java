package dev.labdesk.worker.chat.transport;

import dev.labdesk.worker.redis.StreamTail;
import dev.labdesk.worker.redis.RedisBackend;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user's chat on Redis as the relay writes and reads it: the stream {@code labdesk:chat:{user}:live}
 * of everything said (ids {@code 0-1, 0-2, …}, as in {@link RedisEventLog}) and the hash
 * {@code …:partial} of the reply in progress (its message id, reply_to, text so far and how many
 * deltas it holds), each changed in one script so a reader never sees one without the other.
 *
 * <p>A stream entry is one of two kinds ({@link Entry}); its fields have one-letter names to keep
 * entries small, named here once: {@code k} kind ({@code d} delta, {@code f} frame), {@code m} message
 * id, {@code r} reply_to, {@code t} text, {@code i} the delta's index in its reply, {@code f} the
 * frame's JSON, {@code x} the socket the frame is not for.
 */
final class RedisChatStream {
    /** The stream keeps about this many entries ({@code MAXLEN ~}). */
    static final int MAX_ENTRIES = 5_000;

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

    private final RedisBackend redis;
    private final Duration ttl;
    private final Duration writerTtl;

    /**
     * @param ttl       how long a user's stream outlives its last entry (the conversation's retention)
     * @param writerTtl the writer lease's, renewed with every delta
     */
    RedisChatStream(RedisBackend redis, Duration ttl, Duration writerTtl) {
        this.redis = redis;
        this.ttl = ttl;
        this.writerTtl = writerTtl;
    }

    /** One entry of a user's stream. */
    sealed interface Entry {
        long seq();
    }

    /** The {@code index}-th piece {@code text} of reply {@code messageId}, answering {@code replyTo}. */
    record Delta(long seq, String messageId, String replyTo, String text, int index) implements Entry {}

    /**
     * A frame to send as it is ({@code json}), not to socket {@code except} ("" for all); {@code messageId}
     * names the message it carries ("" for none), which a socket that had it in its history skips.
     */
    record Frame(long seq, String json, String messageId, String except) implements Entry {}

    /** The reply in progress: its text so far is made of its first {@code deltas} deltas. */
    record Partial(String messageId, String replyTo, String text, int deltas) {}

    /** Entries after some position, and the stream's oldest and newest ids then (0: empty). */
    record Read(long first, long last, List<Entry> entries) {}

    String liveKey(String userId) {
        return redis.key("chat", userId, "live");
    }

    String writerKey(String userId) {
        return redis.key("chat", userId, "writer");
    }

    private String partialKey(String userId) {
        return redis.key("chat", userId, "partial");
    }

    /** Appends a delta and adds it to the reply in progress (starting it when {@code messageId} is new); renews the writer lease. */
    void appendDelta(String userId, String messageId, String replyTo, String chunk) {
        redis.call(c -> c.eval(DELTA, ScriptOutputType.INTEGER,
                new String[] {partialKey(userId), liveKey(userId), writerKey(userId)},
                messageId, replyTo == null ? "" : replyTo, chunk, Integer.toString(MAX_ENTRIES),
                Long.toString(ttl.toMillis()), Long.toString(writerTtl.toMillis())));
    }

    /**
     * Appends a frame. The reply in progress ends if its message id is {@code endsMessage} or its
     * reply_to is {@code endsReplyTo} ("" for neither).
     */
    void appendFrame(String userId, String json, String messageId, String except, String endsMessage, String endsReplyTo) {
        redis.call(c -> c.eval(FRAME, ScriptOutputType.INTEGER, new String[] {partialKey(userId), liveKey(userId)},
                json, messageId, except, endsMessage, endsReplyTo,
                Integer.toString(MAX_ENTRIES), Long.toString(ttl.toMillis())));
    }

    /** The reply in progress, if one has text. */
    Optional<Partial> partial(String userId) {
        Map<String, String> p = redis.call(c -> c.hgetall(partialKey(userId)));
        var messageId = p.get("message_id");
        var text = p.getOrDefault("text", "");
        if (messageId == null || text.isEmpty()) return Optional.empty();
        return Optional.of(new Partial(messageId, p.get("reply_to"), text, Integer.parseInt(p.get("n"))));
    }

    /** The id of the newest entry (0: none). */
    long position(String userId) {
        return read(userId, "+", 1).last();
    }

    /** Entries after {@code afterSeq} (at most {@code max}) and the stream's oldest and newest ids. */
    Read read(String userId, long afterSeq, int max) {
        return read(userId, "0-" + (afterSeq + 1), max);
    }

    @SuppressWarnings("unchecked")
    private Read read(String userId, String from, int max) {
        List<Object> reply = redis.call(c -> c.eval(READ, ScriptOutputType.MULTI, new String[] {liveKey(userId)},
                from, Integer.toString(max)));
        var raw = (List<Object>) reply.get(2);
        var entries = new ArrayList<Entry>(raw.size());
        if (!"+".equals(from)) for (var e : raw) entries.add(entry((List<Object>) e));
        return new Read(idOf(reply.get(0)), idOf(reply.get(1)), entries);
    }

    @SuppressWarnings("unchecked")
    private static Entry entry(List<Object> pair) {
        long seq = StreamTail.seqOf((String) pair.get(0));
        var list = (List<Object>) pair.get(1);
        String kind = null, messageId = "", replyTo = null, text = null, index = null, frame = null, except = null;
        for (int i = 0; i + 1 < list.size(); i += 2) {
            var value = (String) list.get(i + 1);
            switch ((String) list.get(i)) {
                case "k" -> kind = value;
                case "m" -> messageId = value;
                case "r" -> replyTo = value;
                case "t" -> text = value;
                case "i" -> index = value;
                case "f" -> frame = value;
                case "x" -> except = value;
                default -> { } // a field a newer instance added
            }
        }
        if ("d".equals(kind)) return new Delta(seq, messageId, replyTo, text, Integer.parseInt(index));
        return new Frame(seq, frame, messageId, except);
    }

    @SuppressWarnings("unchecked")
    private static long idOf(Object range) {
        var list = (List<Object>) range;
        return list.isEmpty() ? 0 : StreamTail.seqOf((String) ((List<Object>) list.getFirst()).getFirst());
    }
}
