package dev.labdesk.model;

import java.time.Instant;

/**
 * {@code GET /sessions/{id}}: where a session stands. {@code error} is set once it failed;
 * {@code owner} is the principal (user id) that created it, the only one besides an admin who sees it.
 */
public record SessionInfo(String sessionId, String volume, SessionStatus status, ExperimentContext context,
                          int files, long bytes, Instant createdAt, Instant updatedAt, String error, String owner) {

    public SessionInfo withStatus(SessionStatus next, Instant at, String error) {
        return new SessionInfo(sessionId, volume, next, context, files, bytes, createdAt, at, error, owner);
    }
}
