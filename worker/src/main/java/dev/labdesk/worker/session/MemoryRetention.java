package dev.labdesk.worker.session;

import dev.labdesk.worker.events.InMemoryEventLog;

import java.time.Duration;

/**
 * {@code LABDESK_RETENTION} for a worker without Redis: what Redis does with key expiry, a sweep
 * does here, so memory stays bounded however many sessions a long-running worker serves. Finished
 * sessions and their event logs go once unchanged for the retention time; running ones stay.
 */
public final class MemoryRetention implements AutoCloseable {
    private final InMemorySessionStore sessions;
    private final InMemoryEventLog events;
    private final RetentionSweep timer;

    public MemoryRetention(InMemorySessionStore sessions, InMemoryEventLog events, Duration retention) {
        this.sessions = sessions;
        this.events = events;
        this.timer = new RetentionSweep("memory-retention", retention, this::sweep, "expired sessions and event logs");
    }

    /** One sweep; returns sessions and event logs dropped. */
    public int sweep() {
        var gone = sessions.expire();
        // a log goes with its session, never before it: a quiet agent's log stays while it runs;
        // one of no session at all (a reader of an unknown id made it) goes once idle as long
        return gone.size() + events.expire(gone, id -> sessions.get(id).isEmpty());
    }

    @Override
    public void close() {
        timer.close();
    }
}
