package dev.labdesk.worker.events;


import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;

import java.io.IOException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Events of a single worker, kept as the SSE frames subscribers are sent ({@link SseFrames}, packed
 * by {@link FrameRing}): serialised once on append, copied as bytes to each subscriber and replay,
 * parsed back only for {@link #read}. Each session keeps its newest {@code retainPerSession} events;
 * older ones are dropped and a reader asking for them is told so (a gap) rather than skipped.
 * A session's whole log goes once nothing was appended to it for {@code retention}
 * ({@link #expire}), as its Redis stream would expire, so a long-running worker does not keep
 * every session it ever served.
 */
public final class InMemoryEventLog implements EventLog {
    private final Map<String, SessionLog> logs = new ConcurrentHashMap<>();
    private final int retainPerSession;
    private final Duration retention;
    private final Clock clock;
    private final SseFrames sse;
    private final LongWaits waits = new LongWaits("event-log-ticks");

    /** Logs kept for the worker's lifetime (tests of the ordering and gap contract). */
    public InMemoryEventLog(int retainPerSession) {
        this(retainPerSession, Duration.ofDays(365_000), Clock.systemUTC(), Json.newMapper());
    }

    public InMemoryEventLog(int retainPerSession, Duration retention, Clock clock) {
        this(retainPerSession, retention, clock, Json.newMapper());
    }

    /** {@code mapper}: the wire JSON, the same the rest of the worker writes. */
    public InMemoryEventLog(int retainPerSession, Duration retention, Clock clock, ObjectMapper mapper) {
        if (retainPerSession < 1) throw new IllegalArgumentException("retainPerSession must be positive");
        if (retention.isNegative() || retention.isZero()) throw new IllegalArgumentException("retention must be positive");
        this.retainPerSession = retainPerSession;
        this.retention = retention;
        this.clock = clock;
        this.sse = new SseFrames(mapper);
    }

    /**
     * Drops the logs of {@code sessionsGone}, and those nothing was appended to for the retention
     * time that {@code mayDrop} agrees to (the worker keeps those of sessions still running);
     * returns how many. A reader still waiting on one wakes at its next timeout and finds an empty log.
     */
    public int expire(Set<String> sessionsGone, Predicate<String> mayDrop) {
        var cutoff = clock.instant().minus(retention);
        int before = logs.size();
        logs.keySet().removeAll(sessionsGone);
        logs.entrySet().removeIf(e -> e.getValue().lastWrite().isBefore(cutoff) && mayDrop.test(e.getKey()));
        return before - logs.size();
    }

    @Override
    public SessionEvent append(SessionEvent event) {
        return appendAll(List.of(event)).getFirst();
    }

    @Override
    public List<SessionEvent> appendAll(List<SessionEvent> events) {
        if (events.isEmpty()) return List.of();
        var sessionId = events.getFirst().sessionId();
        for (var e : events)
            if (!e.sessionId().equals(sessionId)) throw new IllegalArgumentException("appendAll takes events of one session");
        var now = clock.instant();
        return logs.computeIfAbsent(sessionId, id -> new SessionLog(now)).append(events, now);
    }

    @Override
    public Batch read(String sessionId, long afterSeq, int max, Duration wait) throws InterruptedException {
        return logs.computeIfAbsent(sessionId, id -> new SessionLog(clock.instant())).read(afterSeq, max, wait);
    }

    @Override
    public FrameBatch readFrames(String sessionId, long afterSeq, int max, Duration wait, FrameSink sink) throws InterruptedException {
        return logs.computeIfAbsent(sessionId, id -> new SessionLog(clock.instant())).readFrames(afterSeq, max, wait, sink);
    }

    @Override
    public long lastSeq(String sessionId) {
        var log = logs.get(sessionId);
        return log == null ? 0 : log.lastSeq();
    }

    private final class SessionLog {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition appended = lock.newCondition();
        private final FrameRing frames = new FrameRing(retainPerSession);
        private volatile Instant lastWrite; // creation counts: a reader waiting for a first event keeps it alive as long

        SessionLog(Instant created) {
            this.lastWrite = created;
        }

        Instant lastWrite() {
            return lastWrite;
        }

        List<SessionEvent> append(List<SessionEvent> events, Instant now) {
            lock.lock();
            try {
                lastWrite = now;
                var stored = new ArrayList<SessionEvent>(events.size());
                for (var e : events) {
                    var withSeq = e.withSeq(frames.last() + 1);
                    var out = frames.begin();
                    try {
                        sse.write(withSeq, out);
                    } catch (IOException | RuntimeException ex) {
                        frames.abort();
                        throw new IllegalStateException("a session event did not serialise", ex);
                    }
                    frames.commit(SseFrames.ended(withSeq));
                    stored.add(withSeq);
                }
                appended.signalAll();
                return stored;
            } finally {
                lock.unlock();
            }
        }

        Batch read(long afterSeq, int max, Duration wait) throws InterruptedException {
            lock.lock();
            try {
                awaitAfter(afterSeq, wait);
                long first = frames.first(), last = frames.last();
                long held = last - first + 1;
                boolean gap = held > 0 && afterSeq + 1 < first;
                long from = Math.max(afterSeq + 1, first);
                var out = new ArrayList<SessionEvent>((int) Math.min(Math.max(0, last - from + 1), max));
                for (long s = from; s <= last && out.size() < max; s++) out.add(event(s));
                return new Batch(out, gap, held > 0 ? first : 0);
            } finally {
                lock.unlock();
            }
        }

        FrameBatch readFrames(long afterSeq, int max, Duration wait, FrameSink sink) throws InterruptedException {
            lock.lock();
            try {
                awaitAfter(afterSeq, wait);
                long first = frames.first(), last = frames.last();
                if (last - first + 1 > 0 && afterSeq + 1 < first) sink.gap(afterSeq, first);
                return sse.fromRing(frames, Math.max(afterSeq + 1, first), afterSeq, max, sink);
            } finally {
                lock.unlock();
            }
        }

        private void awaitAfter(long afterSeq, Duration wait) throws InterruptedException {
            waits.await(lock, appended, wait, () -> frames.last() > afterSeq);
        }

        private SessionEvent event(long seq) {
            return sse.read(frames.chunk(seq), frames.offset(seq), frames.length(seq));
        }

        long lastSeq() {
            lock.lock();
            try {
                return frames.last();
            } finally {
                lock.unlock();
            }
        }
    }
}
