package dev.labdesk.worker.session;

import dev.labdesk.model.FileEntry;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Sessions of a single worker, kept for its lifetime. */
public final class InMemorySessionStore implements SessionStore {
    private final Map<String, SessionInfo> sessions = new ConcurrentHashMap<>();
    private final Map<String, List<FileEntry>> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemorySessionStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void create(SessionInfo session, List<FileEntry> manifest) {
        manifests.put(session.sessionId(), List.copyOf(manifest));
        if (sessions.putIfAbsent(session.sessionId(), session) != null)
            throw new IllegalStateException("session " + session.sessionId() + " exists already");
    }

    @Override
    public Optional<SessionInfo> get(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public List<SessionInfo> list(int limit) {
        return sessions.values().stream()
                .sorted(Comparator.comparing(SessionInfo::createdAt).reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public List<FileEntry> manifest(String sessionId) {
        return manifests.getOrDefault(sessionId, List.of());
    }

    @Override
    public Optional<SessionInfo> transition(String sessionId, SessionStatus next, String error) {
        var moved = new SessionInfo[1];
        sessions.computeIfPresent(sessionId, (id, current) -> {
            if (!current.status().canMoveTo(next)) return current;
            moved[0] = current.withStatus(next, clock.instant(), error);
            return moved[0];
        });
        return Optional.ofNullable(moved[0]);
    }

    @Override
    public void saveRunToken(String sessionId, String tokenSha256) {
        tokens.put(tokenSha256, sessionId);
    }

    @Override
    public Optional<String> sessionForToken(String tokenSha256) {
        return Optional.ofNullable(tokens.get(tokenSha256));
    }

    @Override
    public void revokeRunToken(String tokenSha256) {
        tokens.remove(tokenSha256);
    }
}
