package dev.labdesk.worker.session;

import dev.labdesk.model.FileEntry;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;

import java.util.List;
import java.util.Optional;

/**
 * The registry of sessions, their manifests and their agents' run tokens.
 * In the worker's database for one worker; Redis when several workers share sessions; in memory for tests.
 */
public interface SessionStore {
    void create(SessionInfo session, List<FileEntry> manifest);

    Optional<SessionInfo> get(String sessionId);

    /** Only the session's status: what every log post checks, so a store that can answers it without reading the session whole. */
    default Optional<SessionStatus> status(String sessionId) {
        return get(sessionId).map(SessionInfo::status);
    }

    /** Newest first. */
    List<SessionInfo> list(int limit);

    /** The sessions {@code owner} created, newest first (a store that can should index this). */
    default List<SessionInfo> listOwnedBy(String owner, int limit) {
        return list(Integer.MAX_VALUE).stream().filter(s -> owner.equals(s.owner())).limit(limit).toList();
    }

    /** Bytes stored in the sessions {@code owner} created (their quota's use). */
    default long bytesOwnedBy(String owner) {
        return list(Integer.MAX_VALUE).stream().filter(s -> owner.equals(s.owner())).mapToLong(SessionInfo::bytes).sum();
    }

    List<FileEntry> manifest(String sessionId);

    /**
     * Moves a session to {@code next} if its current status allows it
     * ({@link SessionStatus#canMoveTo}); returns the updated session, or empty when the move
     * was not allowed (already terminal, unknown session).
     */
    Optional<SessionInfo> transition(String sessionId, SessionStatus next, String error);

    /** Remembers the SHA-256 of an agent run's bearer token (never the token itself). */
    void saveRunToken(String sessionId, String tokenSha256);

    /** The session a run token hash belongs to. */
    Optional<String> sessionForToken(String tokenSha256);

    /** A run token's session and that session's status ({@code null} once its record is gone). */
    record TokenHolder(String sessionId, SessionStatus status) {}

    /** What every log post checks: the token's session and its status. */
    default Optional<TokenHolder> tokenHolder(String tokenSha256) {
        return sessionForToken(tokenSha256).map(id -> new TokenHolder(id, status(id).orElse(null)));
    }

    void revokeRunToken(String tokenSha256);
}
