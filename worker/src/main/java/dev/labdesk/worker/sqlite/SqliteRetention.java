package dev.labdesk.worker.sqlite;

import dev.labdesk.worker.chat.store.SqliteConversationStore;
import dev.labdesk.worker.events.SqliteEventLog;
import dev.labdesk.worker.events.ingest.SqliteLogBatchKeys;
import dev.labdesk.worker.session.SqliteSessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code LABDESK_RETENTION} for the database, as Redis expires keys: finished sessions unchanged for the
 * retention time go with their events, tokens and batch keys (their volumes stay on disk); logs of no
 * live session, conversations untouched as long, and old batch keys go too. So the database of a
 * long-running worker does not grow without bound; per-session event counts are bounded on append.
 */
public final class SqliteRetention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqliteRetention.class);
    static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    static final Duration MAX_PERIOD = Duration.ofMinutes(10);

    private final SqliteSessionStore sessions;
    private final SqliteEventLog events;
    private final SqliteConversationStore conversations;
    private final SqliteLogBatchKeys batchKeys;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    public SqliteRetention(SqliteSessionStore sessions, SqliteEventLog events, SqliteConversationStore conversations,
                           SqliteLogBatchKeys batchKeys, Duration retention, Clock clock) {
        this.sessions = sessions;
        this.events = events;
        this.conversations = conversations;
        this.batchKeys = batchKeys;
        this.retention = retention;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sqlite-retention").factory());
        long period = period(retention).toMillis();
        timer.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    static Duration period(Duration retention) {
        var tenth = retention.dividedBy(10);
        if (tenth.compareTo(MIN_PERIOD) < 0) return MIN_PERIOD;
        return tenth.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD : tenth;
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

    private void sweepQuietly() {
        try {
            int dropped = sweep();
            if (dropped > 0) log.debug("retention: removed {} expired sessions, logs, conversations and batch keys", dropped);
        } catch (RuntimeException e) {
            log.warn("retention sweep failed; trying again at the next one", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
