package dev.labdesk.worker.session;

import dev.labdesk.model.FileEntry;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;

/**
 * Sessions of a single worker. A finished session (succeeded, failed, cancelled) is forgotten
 * {@code retention} after its last change ({@link #expire}), as its Redis keys would expire; its
 * volume stays on disk. A queued or running session is never dropped.
 */
public final class InMemorySessionStore implements SessionStore {
    private final Map<String, SessionInfo> sessions = new ConcurrentHashMap<>();
    private final Map<String, List<FileEntry>> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Each owner's sessions, newest first: listing one user's sessions never scans everyone's. */
    private final Map<String, NavigableSet<Listed>> byOwner = new ConcurrentHashMap<>();
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
        var owners = new HashSet<String>();
        sessions.values().removeIf(s -> {
            boolean old = s.status().terminal() && s.updatedAt().isBefore(cutoff);
            if (old) {
                expired.add(s.sessionId());
                owners.add(ownerKey(s));
            }
            return old;
        });
        if (expired.isEmpty()) return expired;
        for (var owner : owners) // under the map's lock for that owner, so a concurrent create is never dropped with an emptied set
            byOwner.computeIfPresent(owner, (o, listed) -> {
                listed.removeIf(l -> expired.contains(l.sessionId()));
                return listed.isEmpty() ? null : listed;
            });
        manifests.keySet().removeAll(expired);
        tokens.values().removeAll(expired); // revoked at the run's end already; this is the backstop
        return expired;
    }

    @Override
    public void create(SessionInfo session, List<FileEntry> manifest) {
        manifests.put(session.sessionId(), List.copyOf(manifest));
        if (sessions.putIfAbsent(session.sessionId(), session) != null)
            throw new IllegalStateException("session " + session.sessionId() + " exists already");
        byOwner.compute(ownerKey(session), (o, listed) -> {
            var set = listed != null ? listed : new ConcurrentSkipListSet<Listed>();
            set.add(Listed.of(session));
            return set;
        });
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
    public List<SessionInfo> listOwnedBy(String owner, int limit) {
        return owned(owner).limit(limit).toList();
    }

    @Override
    public long bytesOwnedBy(String owner) {
        return owned(owner).mapToLong(SessionInfo::bytes).sum();
    }

    private Stream<SessionInfo> owned(String owner) {
        var listed = byOwner.get(owner);
        if (listed == null) return Stream.empty();
        return listed.stream().map(l -> sessions.get(l.sessionId())).filter(Objects::nonNull);
    }

    private static String ownerKey(SessionInfo s) {
        return s.owner() == null ? "" : s.owner();
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

    /** A session's place in its owner's list: newest first, the id breaking ties. */
    private record Listed(Instant createdAt, String sessionId) implements Comparable<Listed> {
        static Listed of(SessionInfo s) {
            return new Listed(s.createdAt(), s.sessionId());
        }

        @Override
        public int compareTo(Listed o) {
            int byTime = o.createdAt.compareTo(createdAt);
            return byTime != 0 ? byTime : sessionId.compareTo(o.sessionId);
        }
    }
}
