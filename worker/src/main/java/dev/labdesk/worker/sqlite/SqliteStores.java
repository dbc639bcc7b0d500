package dev.labdesk.worker.sqlite;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.chat.store.SqliteConversationStore;
import dev.labdesk.worker.events.SqliteEventLog;
import dev.labdesk.worker.events.ingest.SqliteLogBatchKeys;
import dev.labdesk.worker.session.SqliteSessionStore;
import dev.labdesk.worker.upload.SqlitePendingUploadStore;

import java.time.Clock;

/**
 * A single worker's durable state: every store over the one database of its data dir, and their retention
 * (pending uploads expire through {@code ResumableUploads}, which removes their staged bytes with them).
 */
public record SqliteStores(Database db, SqliteSessionStore sessions, SqliteEventLog events, SqliteConversationStore conversations,
                           SqliteLogBatchKeys logBatches, SqlitePendingUploadStore uploads, SqliteRetention retention) implements AutoCloseable {

    /** Opens {@code {dataDir}/labdesk.db}; a database that cannot be used stops the start ({@link WorkerConfig.ConfigException}). */
    public static SqliteStores open(WorkerConfig config, ObjectMapper mapper, Clock clock) {
        var scale = config.scale();
        var db = Database.open(config.dataDir());
        var sessions = new SqliteSessionStore(db, mapper, clock);
        var events = new SqliteEventLog(db, scale.eventsPerSession(), clock, mapper);
        var conversations = new SqliteConversationStore(db, mapper, clock, config.limits(), scale.retention());
        var keys = new SqliteLogBatchKeys(db, clock);
        return new SqliteStores(db, sessions, events, conversations, keys, new SqlitePendingUploadStore(db, mapper),
                new SqliteRetention(sessions, events, conversations, keys, scale.retention(), clock));
    }

    @Override
    public void close() {
        retention.close();
        conversations.close();
        db.close();
    }
}
