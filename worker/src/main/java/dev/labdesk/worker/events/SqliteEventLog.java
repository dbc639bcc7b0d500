package dev.labdesk.worker.events;


import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.sqlite.Database;
import dev.labdesk.worker.sqlite.Handle;
import dev.labdesk.worker.sqlite.StoreUnavailableException;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Events in the worker's database, each row the SSE frame subscribers are sent ({@link SseFrames}),
 * so a replay is bytes copied, not events serialised again. An append returns once its group commit is
 * durable, and only then is it visible: a reader can never be sent an event a crash would take back
 * (and a restart would number again). Live tailing reads a session's newest frames from memory (a
 * {@link FrameRing} per session, published after the commit), older ones from the database; the ring
 * holds a subset of the database, so either answers the same. A session keeps its newest
 * {@code retainPerSession} events (older ones: a gap, as in memory); whole logs go with their sessions
 * ({@link #expire}).
 */
public final class SqliteEventLog implements EventLog {
    /** Frames per session kept in memory for live readers; older ones are read from the database. */
    static final int MEMORY_FRAMES = 8_192;
    /**
     * A session's memory tail is let go after this long without an append (a reader loads it back): the frames
     * of quiet sessions kept in memory were most of the worker's old generation, and above G1's marking
     * threshold of a small heap their every marking cycle paused live readers (docs/BENCHMARKS.md).
     */
    public static final Duration IDLE_TAIL = Duration.ofSeconds(30);

    /**
     * Rows per INSERT, largest first: a batch is written with as few statements as these sizes add up to
     * (500 rows: 7 × 64, 3 × 16, 1 × 4), since each statement's run is a native call with fixed costs.
     */
    private static final int[] ROWS_PER_INSERT = {64, 16, 4, 1};
    private static final String[] INSERTS = java.util.Arrays.stream(ROWS_PER_INSERT)
            .mapToObj(n -> "INSERT INTO events (session_id, seq, terminal, frame) VALUES " + String.join(", ", java.util.Collections.nCopies(n, "(?, ?, ?, ?)")))
            .toArray(String[]::new);
    /**
     * How stale a log's {@code event_logs.last_write} may be while appends go on (a session's final status
     * always writes it): rewriting that row on every append was a second page in each one-record commit.
     * Retention is days; a log may go this much sooner than its last append says.
     */
    static final Duration LAST_WRITE_GRAIN = Duration.ofMinutes(1);

    private final Database db;
    private final int retainPerSession;
    private final Clock clock;
    private final SseFrames sse;
    private final Map<String, Tail> tails = new ConcurrentHashMap<>();
    private final LongWaits waits = new LongWaits("event-log-ticks");

    public SqliteEventLog(Database db, int retainPerSession, Clock clock, ObjectMapper mapper) {
        if (retainPerSession < 1) throw new IllegalArgumentException("retainPerSession must be positive");
        this.db = db;
        this.retainPerSession = retainPerSession;
        this.clock = clock;
        this.sse = new SseFrames(mapper);
    }

    private Tail tail(String sessionId) {
        var t = tails.get(sessionId);
        if (t != null) return t;
        // loaded outside the map's lock: a database read must not hold up other sessions' lookups
        var bounds = db.read(h -> new long[] {
                h.queryLong("SELECT min(seq) FROM events WHERE session_id = ?", 0, sessionId),
                h.queryLong("SELECT max(seq) FROM events WHERE session_id = ?", 0, sessionId)});
        var fresh = new Tail(bounds[0] == 0 ? bounds[1] + 1 : bounds[0], bounds[1], Math.min(MEMORY_FRAMES, retainPerSession), clock.instant());
        var raced = tails.putIfAbsent(sessionId, fresh);
        return raced != null ? raced : fresh;
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
        while (true) {
            var tail = tail(sessionId);
            Append queued;
            tail.appending.lock();
            try {
                if (tail.dropped) continue; // let go meanwhile: append to the one loaded again
                queued = queue(sessionId, tail, events);
            } finally {
                tail.appending.unlock();
            }
            return complete(tail, queued);
        }
    }

    /**
     * Under the session's append lock: numbers the events after those already queued and queues their
     * write, so appends of one session that overlap share a group commit instead of waiting for each
     * other's. A write that fails marks the tail broken before any write numbered after it runs, and those
     * fail too: the stored sequence never has a hole. Once nothing of the session is in flight, numbering
     * starts again after the last stored event.
     */
    private Append queue(String sessionId, Tail tail, List<SessionEvent> events) {
        if (tail.broken) settle(tail);
        long first = tail.numbered + 1;
        var stored = new ArrayList<SessionEvent>(events.size());
        for (int i = 0; i < events.size(); i++) stored.add(events.get(i).withSeq(first + i));
        List<byte[]> frames;
        try {
            frames = java.util.Arrays.asList(sse.frames(stored));
        } catch (RuntimeException ex) {
            throw new IllegalStateException("a session event did not serialise", ex);
        }
        long last = first + events.size() - 1;
        long keepFrom = Math.max(1, last - retainPerSession + 1);
        long now = clock.millis();
        boolean touch = now - tail.lastWriteStored >= LAST_WRITE_GRAIN.toMillis() || SseFrames.ended(stored.getLast());
        if (touch) tail.lastWriteStored = now;
        CompletableFuture<Void> done = db.queue(h -> {
            if (tail.broken) throw new StoreUnavailableException("an earlier append of this session failed: nothing of this one was stored; retry", null);
            try {
                insert(h, sessionId, first, stored, frames);
                if (keepFrom > 1) h.update("DELETE FROM events WHERE session_id = ? AND seq < ?", sessionId, keepFrom);
                if (touch) h.update("INSERT INTO event_logs (session_id, last_write) VALUES (?, ?) "
                        + "ON CONFLICT (session_id) DO UPDATE SET last_write = excluded.last_write", sessionId, now);
            } catch (SQLException | RuntimeException e) {
                tail.broken = true; // before the writes numbered after this one run, in this group or the next
                throw e;
            }
            return null;
        });
        // a commit that fails as a whole completes its writes' futures before the next group runs
        done.whenComplete((ok, failure) -> {
            if (failure == null) return;
            tail.broken = true;
            if (touch) tail.lastWriteStored = 0; // the next append writes it again
        });
        tail.numbered = last;
        var append = new Append(stored, frames, keepFrom, done);
        tail.lock.lock();
        try {
            tail.inFlight.add(append);
        } finally {
            tail.lock.unlock();
        }
        return append;
    }

    private void insert(Handle h, String sessionId, long first, List<SessionEvent> stored, List<byte[]> frames) throws SQLException {
        int i = 0;
        for (int k = 0; k < ROWS_PER_INSERT.length; k++) {
            int rows = ROWS_PER_INSERT[k];
            if (frames.size() - i < rows) continue;
            var insert = h.prepare(INSERTS[k]);
            for (; frames.size() - i >= rows; i += rows) {
                for (int r = 0; r < rows; r++) bindRow(insert, r * 4, sessionId, first + i + r, stored.get(i + r), frames.get(i + r));
                insert.executeUpdate();
            }
        }
    }

    /** Waits for the append's commit, then publishes every finished append of the session in order. */
    private List<SessionEvent> complete(Tail tail, Append append) {
        RuntimeException failure = null;
        try {
            db.complete(append.done());
        } catch (RuntimeException e) {
            failure = e;
        }
        tail.publishFinished(clock.instant());
        if (failure != null) throw failure;
        return append.stored();
    }

    /** Under the append lock, after a failure: lets what is in flight finish, then numbers from the last stored event. */
    private void settle(Tail tail) {
        List<Append> pending;
        tail.lock.lock();
        try {
            pending = List.copyOf(tail.inFlight);
        } finally {
            tail.lock.unlock();
        }
        for (var a : pending) {
            try {
                db.complete(a.done());
            } catch (RuntimeException ignored) {
                // its own caller reports it
            }
        }
        tail.publishFinished(clock.instant());
        tail.numbered = tail.last;
        tail.broken = false;
    }

    /** Events numbered and queued, their frames, and their write's outcome. */
    private record Append(List<SessionEvent> stored, List<byte[]> frames, long keepFrom, CompletableFuture<Void> done) {}

    private static void bindRow(PreparedStatement s, int at, String sessionId, long seq, SessionEvent event, byte[] frame) throws SQLException {
        s.setString(at + 1, sessionId);
        s.setLong(at + 2, seq);
        s.setInt(at + 3, SseFrames.ended(event) ? 1 : 0);
        s.setBytes(at + 4, frame);
    }

    /**
     * The session's tail, its lock held, once an event after {@code afterSeq} is published or {@code wait} has
     * passed; a tail let go meanwhile is followed to the one loaded again.
     */
    private Tail awaitAfter(String sessionId, long afterSeq, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            var tail = tail(sessionId);
            tail.lock.lock();
            try {
                waits.await(tail.lock, tail.appended, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), () -> tail.last > afterSeq || tail.dropped);
            } catch (InterruptedException | RuntimeException e) {
                tail.lock.unlock();
                throw e;
            }
            if (!tail.dropped || tail.last > afterSeq || deadline - System.nanoTime() <= 0) return tail;
            tail.lock.unlock();
        }
    }

    @Override
    public Batch read(String sessionId, long afterSeq, int max, Duration wait) throws InterruptedException {
        var tail = awaitAfter(sessionId, afterSeq, wait);
        try {
            if (tail.inMemory(afterSeq)) {
                var out = new ArrayList<SessionEvent>();
                for (long s = afterSeq + 1; s <= tail.last && out.size() < max; s++)
                    out.add(sse.read(tail.ring.chunk(s), tail.ring.offset(s), tail.ring.length(s)));
                return new Batch(out, false, tail.held() ? tail.first : 0);
            }
        } finally {
            tail.lock.unlock();
        }
        var rows = rows(sessionId, afterSeq, max);
        var out = new ArrayList<SessionEvent>(rows.size());
        for (var r : rows) out.add(sse.read(r.frame(), 0, r.frame().length));
        boolean gap = !rows.isEmpty() && rows.getFirst().seq() > afterSeq + 1;
        return new Batch(out, gap, gap ? rows.getFirst().seq() : tail.held() ? tail.first : 0);
    }

    @Override
    public FrameBatch readFrames(String sessionId, long afterSeq, int max, Duration wait, FrameSink sink) throws InterruptedException {
        var tail = awaitAfter(sessionId, afterSeq, wait);
        try {
            if (tail.inMemory(afterSeq)) return sse.fromRing(tail.ring, afterSeq + 1, afterSeq, max, sink);
        } finally {
            tail.lock.unlock();
        }
        var rows = rows(sessionId, afterSeq, max);
        if (!rows.isEmpty() && rows.getFirst().seq() > afterSeq + 1) sink.gap(afterSeq, rows.getFirst().seq());
        int count = 0;
        long seq = afterSeq;
        for (var r : rows) {
            sink.frame(r.frame(), 0, r.frame().length);
            count++;
            seq = r.seq();
            if (r.terminal()) return new FrameBatch(count, seq, (SessionEvent.Status) sse.read(r.frame(), 0, r.frame().length));
        }
        return new FrameBatch(count, seq, null);
    }

    private record Row(long seq, boolean terminal, byte[] frame) {}

    private List<Row> rows(String sessionId, long afterSeq, int max) {
        return db.read(h -> {
            var s = h.prepare("SELECT seq, terminal, frame FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?");
            s.setString(1, sessionId);
            s.setLong(2, afterSeq);
            s.setInt(3, max);
            var out = new ArrayList<Row>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) out.add(new Row(rs.getLong(1), rs.getInt(2) != 0, rs.getBytes(3)));
            }
            return out;
        });
    }

    @Override
    public long lastSeq(String sessionId) {
        var tail = tails.get(sessionId);
        if (tail != null) return tail.last;
        return db.read(h -> h.queryLong("SELECT max(seq) FROM events WHERE session_id = ?", 0, sessionId));
    }

    /** Lets go of the memory tails nothing was appended to for {@link #IDLE_TAIL}; returns how many. */
    public int releaseIdleTails() {
        var idle = clock.instant().minus(IDLE_TAIL);
        int released = 0;
        for (var e : tails.entrySet()) {
            var t = e.getValue();
            if (!t.lastAppend.isBefore(idle) || !t.appending.tryLock()) continue;
            try {
                if (t.numbered != t.last && !t.broken) continue; // an append is in flight: not idle
                drop(e.getKey(), t);
                released++;
            } finally {
                t.appending.unlock();
            }
        }
        return released;
    }

    /** Under the tail's append lock: appends go to a tail loaded again, and readers waiting on this one move to it. */
    private void drop(String sessionId, Tail t) {
        t.dropped = true;
        tails.remove(sessionId, t);
        t.lock.lock();
        try {
            t.appended.signalAll();
        } finally {
            t.lock.unlock();
        }
    }

    /**
     * Drops the logs nothing was appended to since {@code cutoff} whose session {@code mayDrop} lets go
     * (the worker keeps those of sessions still queued or running); returns how many logs were dropped.
     */
    public int expire(Instant cutoff, java.util.function.Predicate<String> mayDrop) {
        var old = db.read(h -> {
            var s = h.prepare("SELECT session_id FROM event_logs WHERE last_write < ?");
            s.setLong(1, cutoff.toEpochMilli());
            var ids = new ArrayList<String>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
            return ids;
        });
        int dropped = 0;
        for (var id : old) {
            if (!mayDrop.test(id)) continue;
            forget(id);
            dropped++;
        }
        return dropped;
    }

    /** Removes a session's whole log. */
    public void forget(String sessionId) {
        var tail = tails.get(sessionId);
        if (tail != null) tail.appending.lock();
        try {
            db.write(h -> {
                h.update("DELETE FROM events WHERE session_id = ?", sessionId);
                return h.update("DELETE FROM event_logs WHERE session_id = ?", sessionId);
            });
            if (tail != null) drop(sessionId, tail);
        } finally {
            if (tail != null) tail.appending.unlock();
        }
    }

    /** One session's numbering, and its newest frames for live readers. */
    private static final class Tail {
        /** Held by an append while it numbers and queues its write, so a session's writes are queued, committed and published in seq order. */
        final ReentrantLock appending = new ReentrantLock();
        /** Guards the ring, the bounds, the appends in flight and the wait for appends. */
        final ReentrantLock lock = new ReentrantLock();
        final Condition appended = lock.newCondition();
        final FrameRing ring;
        volatile long first; // oldest seq in the database
        volatile long last;  // newest seq in the database, published
        volatile Instant lastAppend;
        volatile boolean dropped;
        /** Newest seq given to an append, stored or still in flight; under {@link #appending}. */
        long numbered;
        /** An append failed: those numbered after it fail too, until {@code settle} numbers again from {@link #last}. */
        volatile boolean broken;
        /** Appends queued and not yet published or dropped, in seq order; under {@link #lock}. */
        final ArrayDeque<Append> inFlight = new ArrayDeque<>();
        /** The {@code event_logs.last_write} this worker last queued (epoch ms; 0: not yet, or its write failed). */
        volatile long lastWriteStored;

        /** {@code frames}: no more than the database keeps, so the ring only ever holds what is on disk too. */
        Tail(long first, long last, int frames, Instant created) {
            this.first = first;
            this.last = last;
            this.numbered = last;
            this.ring = new FrameRing(frames, last);
            this.lastAppend = created;
        }

        boolean held() {
            return last >= first;
        }

        /** Whether what follows {@code afterSeq} is all in the ring (or nothing follows). */
        boolean inMemory(long afterSeq) {
            return afterSeq >= last || afterSeq + 1 >= ring.first();
        }

        /**
         * Publishes the appends at the head of {@link #inFlight} whose commits are done, in order: a
         * stored one becomes visible, a failed one is let go (every append after it failed too).
         */
        void publishFinished(Instant now) {
            lock.lock();
            try {
                boolean published = false;
                for (Append a; (a = inFlight.peek()) != null && a.done().isDone(); ) {
                    inFlight.poll();
                    if (a.done().isCompletedExceptionally()) continue;
                    write(a.stored(), a.frames());
                    last = a.stored().getLast().seq();
                    first = Math.max(first, a.keepFrom());
                    published = true;
                }
                if (published) {
                    lastAppend = now;
                    appended.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        private void write(List<SessionEvent> stored, List<byte[]> frames) {
            for (int i = 0; i < frames.size(); i++) {
                var out = ring.begin();
                var f = frames.get(i);
                try {
                    out.write(f, 0, f.length);
                } catch (IOException impossible) {
                    ring.abort();
                    throw new IllegalStateException(impossible);
                }
                ring.commit(SseFrames.ended(stored.get(i)));
            }
        }
    }
}
