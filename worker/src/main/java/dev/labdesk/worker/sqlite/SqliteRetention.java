package dev.labdesk.worker.sqlite;

import dev.labdesk.worker.chat.store.SqliteConversationStore;
import dev.labdesk.worker.events.SqliteEventLog;
import dev.labdesk.worker.events.ingest.SqliteLogBatchKeys;
import dev.labdesk.worker.session.RetentionSweep;
import dev.labdesk.worker.session.SqliteSessionStore;

import java.time.Clock;
import java.time.Duration;

/**
 * {@code LABDESK_RETENTION} for the database, as Redis expires keys: finished sessions unchanged for the
 * retention time go with their events, tokens and batch keys (their volumes stay on disk); logs of no
 * live session, conversations untouched as long, and old batch keys go too. So the database of a
 * long-running worker does not grow without bound; per-session event counts are bounded on append.
 */
public final class SqliteRetention implements AutoCloseable {
    private final SqliteSessionStore sessions;
    private final SqliteEventLog events;
    private final SqliteConversationStore conversations;
    private final SqliteLogBatchKeys batchKeys;
    private final Duration retention;
    private final Clock clock;
    private final RetentionSweep timer;
    private final RetentionSweep tails;

    public SqliteRetention(SqliteSessionStore sessions, SqliteEventLog events, SqliteConversationStore conversations,
                           SqliteLogBatchKeys batchKeys, Duration retention, Clock clock) {
        this.sessions = sessions;
        this.events = events;
        this.conversations = conversations;
        this.batchKeys = batchKeys;
        this.retention = retention;
        this.clock = clock;
        this.timer = new RetentionSweep("sqlite-retention", retention, this::sweep, "expired sessions, logs, conversations and batch keys");
        this.tails = new RetentionSweep("sqlite-event-tails", SqliteEventLog.IDLE_TAIL, events::releaseIdleTails, "idle live-log tails");
    }

    /** One sweep; returns sessions, logs, conversations and keys removed. */
    public int sweep() {
        var now = clock.instant();
        var cutoff = now.minus(retention);
        var expired = sessions.expire(cutoff);
        expired.forEach(events::forget);
        int gone = expired.size();
        // a log goes with its session, never before it: a quiet agent's log stays while it runs
        gone += events.expire(cutoff, id -> sessions.get(id).map(s -> s.status().terminal()).orElse(true));
        gone += conversations.expire(cutoff);
        gone += batchKeys.expire(now);
        return gone;
    }

    @Override
    public void close() {
        timer.close();
        tails.close();
    }
}
