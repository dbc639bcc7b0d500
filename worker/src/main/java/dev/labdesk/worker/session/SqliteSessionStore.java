package dev.labdesk.worker.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.sqlite.Database;
import dev.labdesk.worker.sqlite.Handle;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sessions in the worker's database ({@link Database}): a row per session with its {@link SessionInfo}
 * and manifest as JSON, and the columns lists and quotas are answered from (status, owner, creation
 * time, bytes), indexed. Run tokens are kept as their SHA-256 only. A write returns once it is durable.
 * What every log post checks — a run token's session and that session's status — is also held in
 * memory, written through after each commit: this worker is the database's only writer ({@link Database}
 * locks it), so the copy is exact and a post reads no row; what is not there is read from the database.
 */
public final class SqliteSessionStore implements SessionStore {
    private static final TypeReference<List<FileEntry>> MANIFEST = new TypeReference<>() {};
    /**
     * A row's info, and its owner column only when the info has no owner of its own (written before
     * sessions had owners): the column comes after the manifest, and reaching it through a large
     * manifest's overflow pages made a list read every manifest in it.
     */
    private static final String COLUMNS = "SELECT info, CASE WHEN instr(info, '\"owner\":') = 0 THEN owner END FROM sessions ";

    private final Database db;
    private final ObjectMapper mapper;
    private final Clock clock;
    /** Every session's status; a transition changes it under the session's entry lock, in commit order. */
    private final Map<String, SessionStatus> statuses = new ConcurrentHashMap<>();
    /** Run token hash → session id. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    public SqliteSessionStore(Database db, ObjectMapper mapper, Clock clock) {
        this.db = db;
        this.mapper = mapper;
        this.clock = clock;
        db.read(h -> {
            try (var rs = h.prepare("SELECT id, status FROM sessions").executeQuery()) {
                while (rs.next()) statuses.put(rs.getString(1), SessionStatus.fromWire(rs.getString(2)));
            }
            try (var rs = h.prepare("SELECT hash, session_id FROM run_tokens").executeQuery()) {
                while (rs.next()) tokens.put(rs.getString(1), rs.getString(2));
            }
            return null;
        });
    }

    /** The database the sessions live in (shared with the worker's other stores). */
    public Database database() {
        return db;
    }

    /** Orders by creation time to the microsecond, as finely as the worker's clock goes. */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    @Override
    public void create(SessionInfo session, List<FileEntry> manifest) {
        var info = json(session);
        var files = json(manifest);
        int inserted = db.write(h -> h.update("""
                INSERT INTO sessions (id, status, created_at, updated_at, bytes, info, manifest, owner)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                session.sessionId(), session.status().wire(), micros(session.createdAt()), micros(session.updatedAt()),
                session.bytes(), info, files, session.owner() == null ? "local" : session.owner()));
        if (inserted == 0) throw new IllegalStateException("session " + session.sessionId() + " exists already");
        statuses.put(session.sessionId(), session.status());
    }

    @Override
    public Optional<SessionInfo> get(String sessionId) {
        return db.read(h -> one(h, sessionId));
    }

    @Override
    public Optional<SessionStatus> status(String sessionId) {
        var known = statuses.get(sessionId);
        if (known != null) return Optional.of(known);
        // not written through this store (an unknown id, or a row put there by hand): asked, not remembered
        return db.read(h -> {
            var s = h.prepare("SELECT status FROM sessions WHERE id = ?");
            s.setString(1, sessionId);
            try (var rs = s.executeQuery()) {
                return rs.next() ? Optional.of(SessionStatus.fromWire(rs.getString(1))) : Optional.empty();
            }
        });
    }

    private Optional<SessionInfo> one(Handle h, String sessionId) throws SQLException {
        var s = h.prepare(COLUMNS + "WHERE id = ?");
        s.setString(1, sessionId);
        try (var rs = s.executeQuery()) {
            return rs.next() ? Optional.of(session(h, rs.getString(1), rs.getString(2))) : Optional.empty();
        }
    }

    @Override
    public List<SessionInfo> list(int limit) {
        return db.read(h -> many(h, COLUMNS + "ORDER BY created_at DESC, id LIMIT ?", limit));
    }

    @Override
    public List<SessionInfo> listOwnedBy(String owner, int limit) {
        return db.read(h -> many(h, COLUMNS + "WHERE owner = ? ORDER BY created_at DESC, id LIMIT ?", owner, limit));
    }

    @Override
    public long bytesOwnedBy(String owner) {
        return db.read(h -> h.queryLong("SELECT sum(bytes) FROM sessions WHERE owner = ?", 0, owner));
    }

    /** Sessions in {@code status}, oldest first (restart recovery). */
    public List<SessionInfo> inStatus(SessionStatus status) {
        return db.read(h -> many(h, COLUMNS + "WHERE status = ? ORDER BY created_at, id LIMIT ?", status.wire(), Integer.MAX_VALUE));
    }

    private List<SessionInfo> many(Handle h, String sql, Object... parameters) throws SQLException {
        var s = h.prepare(sql);
        for (int i = 0; i < parameters.length; i++) s.setObject(i + 1, parameters[i]);
        var out = new ArrayList<SessionInfo>();
        try (var rs = s.executeQuery()) {
            while (rs.next()) out.add(session(h, rs.getString(1), rs.getString(2)));
        }
        return out;
    }

    @Override
    public List<FileEntry> manifest(String sessionId) {
        return db.read(h -> {
            var s = h.prepare("SELECT manifest FROM sessions WHERE id = ?");
            s.setString(1, sessionId);
            try (var rs = s.executeQuery()) {
                if (!rs.next()) return List.of();
                try {
                    return mapper.readValue(rs.getString(1), MANIFEST);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("a stored manifest did not parse", e);
                }
            }
        });
    }

    @Override
    public Optional<SessionInfo> transition(String sessionId, SessionStatus next, String error) {
        var moved = new AtomicReference<Optional<SessionInfo>>(Optional.empty());
        // the status in memory changes under its entry's lock, so two transitions land in commit order
        statuses.compute(sessionId, (id, known) -> {
            // decided on the writer thread, where no other write can come between the read and the update
            moved.set(db.write(h -> {
                var current = one(h, sessionId);
                if (current.isEmpty() || !current.get().status().canMoveTo(next)) return Optional.empty();
                var after = current.get().withStatus(next, clock.instant(), error);
                h.update("UPDATE sessions SET status = ?, updated_at = ?, info = ? WHERE id = ?",
                        next.wire(), micros(after.updatedAt()), json(after), sessionId);
                return Optional.of(after);
            }));
            return moved.get().map(SessionInfo::status).orElse(known);
        });
        return moved.get();
    }

    @Override
    public void saveRunToken(String sessionId, String tokenSha256) {
        db.write(h -> h.update("INSERT OR REPLACE INTO run_tokens (hash, session_id) VALUES (?, ?)", tokenSha256, sessionId));
        tokens.put(tokenSha256, sessionId);
    }

    @Override
    public Optional<String> sessionForToken(String tokenSha256) {
        var known = tokens.get(tokenSha256);
        if (known != null) return Optional.of(known);
        // asked, not remembered: a miss remembered could outlive the token's revocation
        return db.read(h -> {
            var s = h.prepare("SELECT session_id FROM run_tokens WHERE hash = ?");
            s.setString(1, tokenSha256);
            try (var rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public void revokeRunToken(String tokenSha256) {
        db.write(h -> h.update("DELETE FROM run_tokens WHERE hash = ?", tokenSha256));
        tokens.remove(tokenSha256);
    }

    /** Revokes every run token of a session (a run cut by a restart). */
    public int revokeRunTokensOf(String sessionId) {
        int revoked = db.write(h -> h.update("DELETE FROM run_tokens WHERE session_id = ?", sessionId));
        tokens.values().removeIf(sessionId::equals);
        return revoked;
    }

    /** Revokes the run tokens of sessions already ended (a crash between a run's end and its revocation). */
    public int revokeRunTokensOfEndedSessions() {
        var revoked = db.write(h -> {
            var hashes = new ArrayList<String>();
            try (var rs = h.prepare("SELECT hash FROM run_tokens WHERE session_id IN "
                    + "(SELECT id FROM sessions WHERE status IN ('succeeded', 'failed', 'cancelled'))").executeQuery()) {
                while (rs.next()) hashes.add(rs.getString(1));
            }
            for (var hash : hashes) h.update("DELETE FROM run_tokens WHERE hash = ?", hash);
            return hashes;
        });
        revoked.forEach(tokens::remove);
        return revoked.size();
    }

    /**
     * Forgets finished sessions unchanged since {@code cutoff}, with their manifests, tokens and batch
     * keys (their volumes stay on disk; their events are the event log's to drop); returns their ids.
     */
    public List<String> expire(Instant cutoff) {
        long before = micros(cutoff);
        var expired = db.write(h -> {
            var s = h.prepare("SELECT id FROM sessions WHERE status IN ('succeeded', 'failed', 'cancelled') AND updated_at < ?");
            s.setLong(1, before);
            var ids = new ArrayList<String>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
            for (var id : ids) {
                h.update("DELETE FROM run_tokens WHERE session_id = ?", id);
                h.update("DELETE FROM log_batch_keys WHERE session_id = ?", id);
                h.update("DELETE FROM sessions WHERE id = ?", id);
            }
            return ids;
        });
        var gone = new HashSet<>(expired);
        tokens.values().removeIf(gone::contains);
        gone.forEach(statuses::remove);
        return expired;
    }

    private static String ownerColumn(Handle h, String sessionId) throws SQLException {
        var s = h.prepare("SELECT owner FROM sessions WHERE id = ?");
        s.setString(1, sessionId);
        try (var rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : "local";
        }
    }

    private SessionInfo session(Handle h, String json, String owner) throws SQLException {
        try {
            var s = mapper.readValue(json, SessionInfo.class);
            if (s.owner() != null) return s;
            // written before sessions had owners (schema v1): the column says whose it is (read here when
            // the info only seemed to have an owner: an "owner" key in its form's parameters)
            if (owner == null) owner = ownerColumn(h, s.sessionId());
            return new SessionInfo(s.sessionId(), s.volume(), s.status(), s.context(), s.files(), s.bytes(), s.createdAt(),
                    s.updatedAt(), s.error(), owner);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored session did not parse", e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
