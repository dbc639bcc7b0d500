package dev.labdesk.worker.sqlite;

import dev.labdesk.worker.WorkerConfig.ConfigException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * The database's tables, versioned by {@code PRAGMA user_version}: a database is migrated forward at
 * start, one step at a time, each step in the same transaction as its new version number, so a crash
 * mid-migration leaves the old version whole. A migration is never edited once released; a change is a
 * new step at the end.
 */
public final class Schema {
    private Schema() {}

    /** Step {@code i} takes a database from version {@code i} to {@code i + 1}. */
    static final List<List<String>> STEPS = List.of(
            // v1: sessions with their manifests, events as SSE frames, run tokens
            List.of("""
                    CREATE TABLE sessions (id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at INTEGER NOT NULL,
                      updated_at INTEGER NOT NULL, bytes INTEGER NOT NULL, info TEXT NOT NULL, manifest TEXT NOT NULL)""",
                    "CREATE INDEX sessions_by_created ON sessions(created_at)",
                    """
                    CREATE TABLE events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, terminal INTEGER NOT NULL,
                      frame BLOB NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID""",
                    "CREATE TABLE run_tokens (hash TEXT PRIMARY KEY, session_id TEXT NOT NULL) WITHOUT ROWID"),
            // v2: session owners (sessions of v1 were the single local user's), log retention by age,
            // log-batch idempotency keys, conversations and profiles
            List.of("ALTER TABLE sessions ADD COLUMN owner TEXT NOT NULL DEFAULT 'local'",
                    "CREATE INDEX sessions_by_owner ON sessions(owner, created_at)",
                    "CREATE INDEX sessions_by_status ON sessions(status)",
                    "CREATE INDEX run_tokens_by_session ON run_tokens(session_id)",
                    "CREATE TABLE event_logs (session_id TEXT PRIMARY KEY, last_write INTEGER NOT NULL) WITHOUT ROWID",
                    "INSERT INTO event_logs SELECT DISTINCT e.session_id, coalesce(s.updated_at, 0) FROM events e LEFT JOIN sessions s ON s.id = e.session_id",
                    """
                    CREATE TABLE log_batch_keys (session_id TEXT NOT NULL, key TEXT NOT NULL, created_at INTEGER NOT NULL,
                      PRIMARY KEY (session_id, key)) WITHOUT ROWID""",
                    "CREATE INDEX log_batch_keys_by_age ON log_batch_keys(created_at)",
                    "CREATE TABLE chat_users (user_id TEXT PRIMARY KEY, touched INTEGER NOT NULL, profile TEXT) WITHOUT ROWID",
                    "CREATE INDEX chat_users_by_touch ON chat_users(touched)",
                    """
                    CREATE TABLE chat_messages (user_id TEXT NOT NULL, n INTEGER NOT NULL, about TEXT, from_user INTEGER NOT NULL,
                      json TEXT NOT NULL, PRIMARY KEY (user_id, n)) WITHOUT ROWID""",
                    "CREATE INDEX chat_messages_about ON chat_messages(user_id, about)"),
            // v3: the SHA-256 of the batch that took a log-batch key (null for keys taken before), so reusing a key for another body is refused
            List.of("ALTER TABLE log_batch_keys ADD COLUMN body_hash TEXT"),
            // v4: pending resumable uploads (the plan and each file's confirmed offset), so a client resumes across a restart
            List.of("""
                    CREATE TABLE pending_uploads (id TEXT PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, owner TEXT NOT NULL,
                      context TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID""",
                    """
                    CREATE TABLE pending_files (file_id TEXT PRIMARY KEY, upload_id TEXT NOT NULL, idx INTEGER NOT NULL,
                      path TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT, confirmed INTEGER NOT NULL) WITHOUT ROWID""",
                    "CREATE UNIQUE INDEX pending_files_by_upload ON pending_files(upload_id, idx)"),
            // v5: fewer pages written per chat turn: no index on chat_messages.about (every lookup by client message id is in
            // memory), and the profile in its own table, so that recording a touch rewrites a small row, not the profile
            List.of("DROP INDEX chat_messages_about",
                    "CREATE TABLE chat_profiles (user_id TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID",
                    "INSERT INTO chat_profiles SELECT user_id, profile FROM chat_users WHERE profile IS NOT NULL",
                    "ALTER TABLE chat_users DROP COLUMN profile"),
            // v6: a chat turn appends its messages to a journal in a few contiguous pages instead of each user's own pages of
            // chat_messages (and its oldest page for the bound); the store folds the journal into chat_messages in the background.
            // seq = bucket << 40 | number: each bucket (users by hash) is one contiguous range, folded and deleted as a whole;
            // drop_upto: the append dropped the user's messages numbered up to it (its bound)
            List.of("""
                    CREATE TABLE chat_journal (seq INTEGER PRIMARY KEY, user_id TEXT NOT NULL, n INTEGER NOT NULL, about TEXT,
                      from_user INTEGER NOT NULL, drop_upto INTEGER NOT NULL, json TEXT NOT NULL)"""));

    /** The version this worker writes. */
    public static final int VERSION = STEPS.size();

    /** Checks the database is whole and migrates it to {@link #VERSION}; refuses one from a newer Labdesk. */
    static void migrate(Handle db, Path file) throws SQLException {
        var c = db.connection();
        try (var s = c.createStatement(); var rs = s.executeQuery("PRAGMA quick_check")) {
            var problems = new StringBuilder();
            while (rs.next()) if (!"ok".equals(rs.getString(1)) && problems.length() < 300) problems.append(rs.getString(1)).append("; ");
            if (!problems.isEmpty()) throw new ConfigException(damaged(file, problems.toString().replaceAll("; $", "")));
        }
        int version = (int) db.queryLong("PRAGMA user_version", 0);
        if (version > VERSION)
            throw new ConfigException("the database " + file + " was written by a newer Labdesk worker (schema version " + version
                    + "; this worker knows up to " + VERSION + "): update this worker, or give it another LABDESK_DATA_DIR");
        for (int v = version; v < VERSION; v++) {
            for (var sql : STEPS.get(v)) db.execute(sql);
            db.execute("PRAGMA user_version = " + (v + 1));
            c.commit();
        }
        c.commit();
    }

    /** The one line a failed open is reported with. */
    static String describe(Path file, Exception e) {
        if (e instanceof SQLiteException s && (s.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB || s.getResultCode() == SQLiteErrorCode.SQLITE_CORRUPT))
            return damaged(file, s.getResultCode().message);
        return "cannot open the database " + file + ": " + e.getMessage();
    }

    private static String damaged(Path file, String what) {
        return "the database " + file + " is damaged (" + what + "): restore it from a backup, or move it aside to start with "
                + "an empty one (the sessions' files stay under volumes/ and are imported again)";
    }
}
