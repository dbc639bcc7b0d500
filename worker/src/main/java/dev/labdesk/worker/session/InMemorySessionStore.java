package dev.labdesk.worker.session;

import dev.labdesk.model.FileEntry;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions of a single worker. A finished session (succeeded, failed, cancelled) is forgotten
 * {@code retention} after its last change ({@link #expire}), as its Redis keys would expire; its
 * volume stays on disk. A queued or running session is never dropped.
 */
public final class InMemorySessionStore implements SessionStore {
    private final Map<String, SessionInfo> sessions = new ConcurrentHashMap<>();
    private final Map<String, List<FileEntry>> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration retention;

    /** Sessions kept for the worker's lifetime. */
    public InMemorySessionStore(Clock clock) {
        this(clock, Duration.ofDays(365_000));
    }

    public InMemorySessionStore(Clock clock, Duration retention) {
        if (retention.isNegative() || retention.isZero()) throw new IllegalArgumentException("retention must be positive");
        this.clock = clock;
        this.retention = retention;
    }

    /** Forgets finished sessions unchanged for the retention time, with their manifests and tokens; returns their ids. */
    public Set<String> expire() {
        var cutoff = clock.instant().minus(retention);
        var expired = new HashSet<String>();
        sessions.values().removeIf(s -> {
            boolean old = s.status().terminal() && s.updatedAt().isBefore(cutoff);
            if (old) expired.add(s.sessionId());
            return old;
        });
        if (expired.isEmpty()) return expired;
        manifests.keySet().removeAll(expired);
        tokens.values().removeAll(expired); // revoked at the run's end already; this is the backstop
        return expired;
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
