package dev.labdesk.worker.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.worker.sqlite.Database;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Pending uploads in the worker's database ({@link Database}): a row per plan (owner, session, context
 * as JSON, creation and expiry) and a row per file (path, size, expected SHA-256, confirmed offset).
 * A write returns once it is in the database, so a confirmed offset survives the worker's crash.
 */
public final class SqlitePendingUploadStore implements PendingUploadStore {
    private final Database db;
    private final ObjectMapper mapper;

    public SqlitePendingUploadStore(Database db, ObjectMapper mapper) {
        this.db = db;
        this.mapper = mapper;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public void planned(UploadRecord upload) {
        var context = json(upload.context());
        db.write(h -> {
            h.update("""
                    INSERT INTO pending_uploads (id, session_id, owner, context, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)""", upload.uploadId(), upload.sessionId(), upload.owner(), context,
                    upload.createdAt().toEpochMilli(), upload.expiresAt().toEpochMilli());
            for (var f : upload.files())
                h.update("""
                        INSERT INTO pending_files (file_id, upload_id, idx, path, size, sha256, confirmed)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""", f.fileId(), upload.uploadId(), f.index(), f.path(), f.size(), f.sha256(), f.confirmed());
            return null;
        });
    }

    @Override
    public void confirmed(String uploadId, String fileId, long offset, Instant expiresAt) {
        db.write(h -> {
            h.update("UPDATE pending_files SET confirmed = ? WHERE file_id = ?", offset, fileId);
            h.update("UPDATE pending_uploads SET expires_at = ? WHERE id = ?", expiresAt.toEpochMilli(), uploadId);
            return null;
        });
    }

    @Override
    public void forget(String uploadId) {
        db.write(h -> {
            h.update("DELETE FROM pending_files WHERE upload_id = ?", uploadId);
            return h.update("DELETE FROM pending_uploads WHERE id = ?", uploadId);
        });
    }

    @Override
    public List<UploadRecord> all() {
        return db.read(h -> {
            var uploads = new LinkedHashMap<String, UploadRow>();
            try (var rs = h.prepare("SELECT id, session_id, owner, context, created_at, expires_at FROM pending_uploads ORDER BY created_at").executeQuery()) {
                while (rs.next())
                    uploads.put(rs.getString(1), new UploadRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)), new ArrayList<>()));
            }
            try (var rs = h.prepare("SELECT file_id, upload_id, idx, path, size, sha256, confirmed FROM pending_files ORDER BY upload_id, idx").executeQuery()) {
                while (rs.next()) {
                    var u = uploads.get(rs.getString(2));
                    if (u != null) u.files().add(new FileRecord(rs.getString(1), rs.getInt(3), rs.getString(4), rs.getLong(5), rs.getString(6), rs.getLong(7)));
                }
            }
            var out = new ArrayList<UploadRecord>();
            for (var u : uploads.values())
                out.add(new UploadRecord(u.id(), u.sessionId(), u.owner(), context(u.context()), u.createdAt(), u.expiresAt(), u.files()));
            return out;
        });
    }

    private record UploadRow(String id, String sessionId, String owner, String context, Instant createdAt, Instant expiresAt, List<FileRecord> files) {}

    private String json(ExperimentContext context) {
        try {
            return mapper.writeValueAsString(context);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an experiment context always serialises", e);
        }
    }

    private ExperimentContext context(String json) throws SQLException {
        try {
            return mapper.readValue(json, ExperimentContext.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("a pending upload's context does not parse: " + e.getOriginalMessage(), e);
        }
    }
}
