package dev.labdesk.worker.session;

import dev.labdesk.worker.events.InMemoryEventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code LABDESK_RETENTION} for a worker without Redis: what Redis does with key expiry, a sweep
 * does here, so memory stays bounded however many sessions a long-running worker serves. Finished
 * sessions and their event logs go once unchanged for the retention time; running ones stay.
 */
public final class MemoryRetention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemoryRetention.class);
    /** Sweeps often enough that nothing outlives its retention by more than a tenth, rarely enough to cost nothing. */
    static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    static final Duration MAX_PERIOD = Duration.ofMinutes(10);

    private final InMemorySessionStore sessions;
    private final InMemoryEventLog events;
    private final ScheduledExecutorService timer;

    public MemoryRetention(InMemorySessionStore sessions, InMemoryEventLog events, Duration retention) {
        this.sessions = sessions;
        this.events = events;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("memory-retention").factory());
        long period = period(retention).toMillis();
        timer.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    static Duration period(Duration retention) {
        var tenth = retention.dividedBy(10);
        if (tenth.compareTo(MIN_PERIOD) < 0) return MIN_PERIOD;
        return tenth.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD : tenth;
    }

    /** One sweep; returns sessions and event logs dropped. */
    public int sweep() {
        var gone = sessions.expire();
        // a log goes with its session, never before it: a quiet agent's log stays while it runs;
        // one of no session at all (a reader of an unknown id made it) goes once idle as long
        return gone.size() + events.expire(gone, id -> sessions.get(id).isEmpty());
    }

    private void sweepQuietly() {
        try {
            int dropped = sweep();
            if (dropped > 0) log.debug("retention: dropped {} expired sessions and event logs", dropped);
        } catch (RuntimeException e) {
            log.warn("retention sweep failed; trying again at the next one", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
