package dev.labdesk.worker.redis;

import io.lettuce.core.UnblockType;

import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The blocking tail of every stream this worker's readers wait on, through ONE dedicated connection:
 * a loop runs {@code XREAD BLOCK … STREAMS k1 k2 … id1 id2 …} over all streams that have waiting
 * readers and wakes a stream's readers as soon as an entry after their position arrives. A reader
 * that is not covered by the XREAD in flight interrupts it ({@code CLIENT UNBLOCK}) so the loop
 * re-issues it with the new stream. Thousands of SSE subscribers therefore cost one Redis
 * connection, not one each. The block is bounded ({@link #BLOCK}) so that the loop notices new
 * readers and outages even if an interruption were lost.
 * Woken readers re-read the stream themselves (XRANGE): the tail only says "look now".
 */
public final class StreamTail implements AutoCloseable {
    /** The sequence number in a stream entry id {@code <ms>-<seq>}: the entries are added with explicit ids. */
    public static long seqOf(String entryId) {
        return Long.parseLong(entryId.substring(entryId.indexOf('-') + 1));
    }

    private static final Logger log = LoggerFactory.getLogger(StreamTail.class);
    static final Duration BLOCK = Duration.ofMillis(500);
    private static final int MAX_UNBLOCK_ATTEMPTS = 200;

    private final RedisBackend redis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition someoneWaits = lock.newCondition();
    private final Map<String, Set<Waiter>> waiting = new HashMap<>();   // guarded by lock
    private Map<String, Long> inFlight = Map.of();                       // what the XREAD in flight covers; guarded by lock
    private volatile long loopClientId = -1;
    private volatile boolean closed;
    private final Thread loop;

    private static final class Waiter {
        final long afterSeq;
        final CountDownLatch woken = new CountDownLatch(1);

        Waiter(long afterSeq) {
            this.afterSeq = afterSeq;
        }
    }

    public StreamTail(RedisBackend redis) {
        this.redis = redis;
        this.loop = Thread.ofPlatform().daemon().name("redis-stream-tail").start(this::run);
    }

    /** Waits until stream {@code key} may hold an entry after {@code 0-afterSeq}, or {@code wait} is over. */
    public void await(String key, long afterSeq, Duration wait) throws InterruptedException {
        var w = new Waiter(afterSeq);
        boolean covered;
        lock.lock();
        try {
            waiting.computeIfAbsent(key, k -> new HashSet<>()).add(w);
            var id = inFlight.get(key);
            covered = id != null && id <= afterSeq;
            someoneWaits.signal();
        } finally {
            lock.unlock();
        }
        try { // the waiter is removed however this ends, an interrupted reader included
            // An XREAD that does not cover this reader is interrupted. CLIENT UNBLOCK travels on another
            // connection, so it can reach Redis before the loop's next XREAD does and find nothing to
            // interrupt: then it is repeated until an XREAD covering this reader is in flight.
            for (int attempt = 0; !covered && attempt < MAX_UNBLOCK_ATTEMPTS && w.woken.getCount() > 0; attempt++) {
                if (interruptBlockingRead() > 0) break;
                Thread.sleep(1);
                covered = covers(key, afterSeq);
            }
            w.woken.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            lock.lock();
            try {
                var set = waiting.get(key);
                if (set != null) {
                    set.remove(w);
                    if (set.isEmpty()) waiting.remove(key);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean covers(String key, long afterSeq) {
        lock.lock();
        try {
            var id = inFlight.get(key);
            return id != null && id <= afterSeq;
        } finally {
            lock.unlock();
        }
    }

    /** How many blocked reads CLIENT UNBLOCK interrupted (0 or 1). */
    private long interruptBlockingRead() {
        long id = loopClientId;
        if (id < 0) return 0;
        try {
            Long n = redis.call(c -> c.clientUnblock(id, UnblockType.TIMEOUT));
            return n == null ? 0 : n;
        } catch (RedisUnavailableException e) {
            return 1; // the loop notices the outage itself and wakes everyone
        }
    }

    private void run() {
        StatefulRedisConnection<String, String> connection = null;
        while (!closed) {
            Map<String, Long> offsets;
            lock.lock();
            try {
                while (waiting.isEmpty() && !closed) someoneWaits.await();
                if (closed) break;
                offsets = new HashMap<>();
                for (var e : waiting.entrySet())
                    offsets.put(e.getKey(), e.getValue().stream().mapToLong(x -> x.afterSeq).min().orElse(0));
                inFlight = offsets;
            } catch (InterruptedException e) {
                break;
            } finally {
                lock.unlock();
            }
            try {
                if (connection == null) connection = redis.dedicated(redis.timeout().plus(BLOCK));
                // the id changes when Lettuce reconnects, so it is asked each round (one cheap command)
                loopClientId = connection.sync().clientId();
                var streams = offsets.entrySet().stream()
                        .map(e -> XReadArgs.StreamOffset.from(e.getKey(), "0-" + e.getValue()))
                        .toArray(XReadArgs.StreamOffset[]::new);
                @SuppressWarnings("unchecked")
                List<StreamMessage<String, String>> got = connection.sync().xread(
                        XReadArgs.Builder.block(BLOCK).count(1), (XReadArgs.StreamOffset<String>[]) streams);
                wake(got);
            } catch (RedisException | RedisUnavailableException e) {
                log.debug("stream tail: {}", e.toString());
                wakeEveryone(); // readers re-read and report the outage themselves
                pause();
            } finally {
                lock.lock();
                try {
                    inFlight = Map.of();
                } finally {
                    lock.unlock();
                }
            }
        }
        if (connection != null) connection.close();
    }

    private void wake(List<StreamMessage<String, String>> messages) {
        if (messages == null || messages.isEmpty()) return;
        lock.lock();
        try {
            for (var m : messages) {
                long seq = seqOf(m.getId());
                var set = waiting.get(m.getStream());
                if (set == null) continue;
                for (var w : new ArrayList<>(set)) if (w.afterSeq < seq) w.woken.countDown();
            }
        } finally {
            lock.unlock();
        }
    }

    private void wakeEveryone() {
        lock.lock();
        try {
            waiting.values().forEach(set -> set.forEach(w -> w.woken.countDown()));
        } finally {
            lock.unlock();
        }
    }

    private void pause() {
        try {
            Thread.sleep(BLOCK);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            someoneWaits.signalAll();
        } finally {
            lock.unlock();
        }
        interruptBlockingRead();
        try {
            loop.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
