package dev.labdesk.worker.events.ingest;

import dev.labdesk.worker.sqlite.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Batch keys in the worker's database, so a batch resent after a restart (its 202 lost with the old
 * worker) is still recognised. A claim is decided on the writer thread and committed before the
 * batch's events (writes commit in order), so no batch can be durable while its key is not. Keys
 * go with their session, or after {@link #MAX_AGE} ({@link #expire}): an agent resends within minutes.
 */
public final class SqliteLogBatchKeys implements LogBatchKeys {
    static final Duration MAX_AGE = Duration.ofDays(1);
    private final Database db;
    private final Clock clock;

    public SqliteLogBatchKeys(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Claim claim(String sessionId, String key, String bodyHash) {
        long now = clock.millis();
        return db.write(h -> {
            if (h.update("INSERT INTO log_batch_keys (session_id, key, created_at, body_hash) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING", sessionId, key, now, bodyHash) == 1) return Claim.NEW;
            var select = h.prepare("SELECT body_hash FROM log_batch_keys WHERE session_id = ? AND key = ?");
            select.setString(1, sessionId);
            select.setString(2, key);
            try (var rs = select.executeQuery()) {
                return Claim.taken(rs.next() ? rs.getString(1) : null, bodyHash);
            }
        });
    }

    @Override
    public void release(String sessionId, String key) {
        db.write(h -> h.update("DELETE FROM log_batch_keys WHERE session_id = ? AND key = ?", sessionId, key));
    }

    /** Forgets keys claimed before {@code now - MAX_AGE}; returns how many. */
    public int expire(Instant now) {
        long cutoff = now.minus(MAX_AGE).toEpochMilli();
        return db.write(h -> h.update("DELETE FROM log_batch_keys WHERE created_at < ?", cutoff));
    }
}
