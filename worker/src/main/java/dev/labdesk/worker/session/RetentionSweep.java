package dev.labdesk.worker.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Runs a store's retention sweep on a timer of its own, as Redis expires keys: a failed sweep is
 * logged and the next one tries again. Shared by the in-memory and the database stores.
 */
public final class RetentionSweep implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
    /** Sweeps often enough that nothing outlives its retention by more than a tenth, rarely enough to cost nothing. */
    static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    static final Duration MAX_PERIOD = Duration.ofMinutes(10);

    private final ScheduledExecutorService timer;

    /**
     * @param name    the timer thread's name
     * @param sweep   one sweep, returning how many things it removed
     * @param removed what those are, for the debug line ("expired sessions and event logs")
     */
    public RetentionSweep(String name, Duration retention, IntSupplier sweep, String removed) {
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(name).factory());
        long period = period(retention).toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                int dropped = sweep.getAsInt();
                if (dropped > 0) log.debug("{}: removed {} {}", name, dropped, removed);
            } catch (RuntimeException e) {
                log.warn("{} failed; trying again at the next sweep", name, e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    static Duration period(Duration retention) {
        var tenth = retention.dividedBy(10);
        if (tenth.compareTo(MIN_PERIOD) < 0) return MIN_PERIOD;
        return tenth.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD : tenth;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
