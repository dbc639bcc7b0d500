package dev.labdesk.worker.events;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;


import dev.labdesk.worker.redis.StreamTail;
import dev.labdesk.worker.redis.RedisBackend;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.SessionEvent;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Session events in Redis Streams, one stream per session ({@code labdesk:events:{id}}), shared by
 * every worker on the same Redis. Entry ids are {@code 0-seq}: a Lua script appends a whole batch
 * with {@code XADD … 0-*}, which makes Redis assign 0-1, 0-2, 0-3… — atomic, ordered and gap-free
 * even when two workers append to one session at the same moment, and never reused after trimming
 * (the stream remembers its last id). The stored JSON carries seq 0; the seq is the entry id.
 *
 * <p>Retention: each stream keeps about the newest {@code maxPerSession} entries ({@code MAXLEN ~},
 * trimmed in whole blocks, so slightly more may be kept) and expires {@code ttl} after its last
 * append. A reader asking for trimmed entries gets {@link Batch#gap()}, never a silent skip.
 * Waiting for new entries goes through the worker's single {@link StreamTail} (XREAD BLOCK).
 */
public final class RedisEventLog implements EventLog, AutoCloseable {
    // KEYS[1] stream; ARGV[1] maxlen, ARGV[2] ttl ms, ARGV[3..] event JSON → the new ids in order
    private static final String APPEND = """
            local ids = {}
            for i = 3, #ARGV do
              ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '0-*', 'e', ARGV[i])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return ids
            """;
    // KEYS[1] stream; ARGV[1] first id wanted, ARGV[2] count → {oldest entry held, entries from ARGV[1]}
    private static final String READ = """
            local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
            local entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])
            return {first, entries}
            """;

    private final RedisBackend redis;
    private final ObjectMapper mapper;
    private final int maxPerSession;
    private final Duration ttl;
    private final StreamTail tail;
    private final SseFrames frames;

    public RedisEventLog(RedisBackend redis, ObjectMapper mapper, int maxPerSession, Duration ttl) {
        this.redis = redis;
        this.mapper = mapper;
        this.maxPerSession = maxPerSession;
        this.ttl = ttl;
        this.tail = new StreamTail(redis);
        this.frames = new SseFrames(mapper);
    }

    private String key(String sessionId) {
        return redis.key("events", sessionId);
    }

    @Override
    public SessionEvent append(SessionEvent event) {
        return appendAll(List.of(event)).getFirst();
    }

    @Override
    public List<SessionEvent> appendAll(List<SessionEvent> events) {
        if (events.isEmpty()) return List.of();
        var sessionId = events.getFirst().sessionId();
        var args = new String[events.size() + 2];
        args[0] = Integer.toString(maxPerSession);
        args[1] = Long.toString(ttl.toMillis());
        for (int i = 0; i < events.size(); i++) {
            var e = events.get(i);
            if (!e.sessionId().equals(sessionId)) throw new IllegalArgumentException("appendAll takes events of one session");
            args[i + 2] = json(e.withSeq(0));
        }
        List<Object> ids = redis.call(c -> c.eval(APPEND, ScriptOutputType.MULTI, new String[] {key(sessionId)}, args));
        var stored = new ArrayList<SessionEvent>(events.size());
        for (int i = 0; i < events.size(); i++) stored.add(events.get(i).withSeq(StreamTail.seqOf((String) ids.get(i))));
        return stored;
    }

    @Override
    public Batch read(String sessionId, long afterSeq, int max, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            var batch = range(sessionId, afterSeq, max);
            long left = deadline - System.nanoTime();
            if (!batch.events().isEmpty() || left <= 0) return batch;
            tail.await(key(sessionId), afterSeq, Duration.ofNanos(left));
        }
    }

    @SuppressWarnings("unchecked")
    private Batch range(String sessionId, long afterSeq, int max) {
        List<Object> reply = redis.call(c -> c.eval(READ, ScriptOutputType.MULTI, new String[] {key(sessionId)},
                "0-" + (afterSeq + 1), Integer.toString(max)));
        var first = (List<Object>) reply.get(0);
        var entries = (List<Object>) reply.get(1);
        long firstAvailable = first.isEmpty() ? 0 : StreamTail.seqOf((String) ((List<Object>) first.getFirst()).getFirst());
        var events = new ArrayList<SessionEvent>(entries.size());
        for (var entry : entries) {
            var pair = (List<Object>) entry;
            long seq = StreamTail.seqOf((String) pair.get(0));
            var fields = (List<Object>) pair.get(1);
            events.add(parse((String) fields.get(1)).withSeq(seq));
        }
        boolean gap = firstAvailable > afterSeq + 1;
        return new Batch(events, gap, firstAvailable);
    }

    @Override
    public FrameBatch readFrames(String sessionId, long afterSeq, int max, Duration wait, FrameSink sink) throws InterruptedException {
        return frames.toSink(read(sessionId, afterSeq, max, wait), afterSeq, sink);
    }

    @Override
    public long lastSeq(String sessionId) {
        var last = redis.call(c -> c.xrevrange(key(sessionId), Range.create("-", "+"), Limit.from(1)));
        return last.isEmpty() ? 0 : StreamTail.seqOf(last.getFirst().getId());
    }

    private String json(SessionEvent e) {
        try {
            return mapper.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a session event did not serialise", ex);
        }
    }

    private SessionEvent parse(String json) {
        try {
            return mapper.readValue(json, SessionEvent.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a stored session event did not parse", ex);
        }
    }

    @Override
    public void close() {
        tail.close();
    }
}
