package dev.labdesk.worker.events;

import dev.labdesk.model.SessionEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Events of a single worker. Each session keeps its newest {@code retainPerSession} events;
 * older ones are dropped and a reader asking for them is told so (a gap) rather than skipped.
 */
public final class InMemoryEventLog implements EventLog {
    private final Map<String, SessionLog> logs = new ConcurrentHashMap<>();
    private final int retainPerSession;

    public InMemoryEventLog(int retainPerSession) {
        if (retainPerSession < 1) throw new IllegalArgumentException("retainPerSession must be positive");
        this.retainPerSession = retainPerSession;
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
        return logs.computeIfAbsent(sessionId, id -> new SessionLog()).append(events, retainPerSession);
    }

    @Override
    public Batch read(String sessionId, long afterSeq, int max, Duration wait) throws InterruptedException {
        return logs.computeIfAbsent(sessionId, id -> new SessionLog()).read(afterSeq, max, wait);
    }

    @Override
    public long lastSeq(String sessionId) {
        var log = logs.get(sessionId);
        return log == null ? 0 : log.lastSeq();
    }

    private static final class SessionLog {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition appended = lock.newCondition();
        // a ring of the newest events: ring[(seq - 1) % capacity], grown up to the retention limit
        private SessionEvent[] ring = new SessionEvent[64];
        private long first = 1;   // oldest seq held
        private long last = 0;    // newest seq held

        List<SessionEvent> append(List<SessionEvent> events, int retain) {
            lock.lock();
            try {
                var stored = new ArrayList<SessionEvent>(events.size());
                for (var e : events) {
                    var withSeq = e.withSeq(++last);
                    ensureCapacity(retain);
                    if (last - first + 1 > ring.length) first++;
                    ring[(int) ((last - 1) % ring.length)] = withSeq;
                    stored.add(withSeq);
                }
                appended.signalAll();
                return stored;
            } finally {
                lock.unlock();
            }
        }

        private void ensureCapacity(int retain) {
            long held = last - first + 1;
            if (held <= ring.length || ring.length >= retain) return;
            var grown = new SessionEvent[(int) Math.min((long) ring.length * 2, retain)];
            for (long s = first; s < last; s++) grown[(int) ((s - 1) % grown.length)] = ring[(int) ((s - 1) % ring.length)];
            ring = grown;
        }

        Batch read(long afterSeq, int max, Duration wait) throws InterruptedException {
            lock.lock();
            try {
                long nanos = wait.toNanos();
                while (last <= afterSeq && nanos > 0) nanos = appended.awaitNanos(nanos);
                long held = last - first + 1;
                boolean gap = held > 0 && afterSeq + 1 < first;
                long from = Math.max(afterSeq + 1, first);
                var out = new ArrayList<SessionEvent>((int) Math.min(Math.max(0, last - from + 1), max));
                for (long s = from; s <= last && out.size() < max; s++) out.add(ring[(int) ((s - 1) % ring.length)]);
                return new Batch(out, gap, held > 0 ? first : 0);
            } finally {
                lock.unlock();
            }
        }

        long lastSeq() {
            lock.lock();
            try {
                return last;
            } finally {
                lock.unlock();
            }
        }
    }
}
