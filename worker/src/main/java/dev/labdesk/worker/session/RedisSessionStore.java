package dev.labdesk.worker.session;

import dev.labdesk.worker.redis.RedisBackend;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sessions in Redis, shared by every worker on it:
 * {@code labdesk:session:{id}} (the {@link SessionInfo} as JSON), {@code labdesk:manifest:{id}}
 * (its files as JSON), {@code labdesk:sessions} (a sorted set by creation time, for listing),
 * {@code labdesk:sessions:owner:{user id}} (the same for one owner's sessions, so listing one user's
 * sessions never reads everyone's) and {@code labdesk:token:{sha256}} (which session a run token
 * belongs to). Everything expires {@code ttl} after the session was created (tokens when revoked at
 * the latest); the sorted sets are pruned of expired sessions as they are written and read, so
 * nothing grows without bound. The owner travels inside the session's JSON, so every instance checks
 * it; a session stored before sessions had owners reads as owned by {@code local}.
 * Status changes are compare-and-set in a Lua script, so two workers racing to move one session
 * (say, a cancel on B while A's agent finishes) cannot both win.
 */
public final class RedisSessionStore implements SessionStore {
    // KEYS session, manifest, index, owner's index; ARGV json, manifest json, ttl ms, created ms, id, oldest ms kept → 1 created, 0 exists
    private static final String CREATE = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[3]) == false then return 0 end
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
            for i = 3, 4 do
              redis.call('ZADD', KEYS[i], ARGV[4], ARGV[5])
              redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', '(' .. ARGV[6])
              redis.call('PEXPIRE', KEYS[i], ARGV[3])
            end
            return 1
            """;
    /** Owner of a session stored before sessions had one: the single user of the worker that wrote it. */
    static final String LEGACY_OWNER = "local";
    private static final int MGET_BATCH = 1000;
    // KEYS session; ARGV expected json, new json → 1 swapped, 0 changed meanwhile (or gone)
    private static final String SWAP = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
            return 1
            """;
    private static final TypeReference<List<FileEntry>> MANIFEST = new TypeReference<>() {};

    private final RedisBackend redis;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Duration ttl;

    public RedisSessionStore(RedisBackend redis, ObjectMapper mapper, Clock clock, Duration ttl) {
        this.redis = redis;
        this.mapper = mapper;
        this.clock = clock;
        this.ttl = ttl;
    }

    private String sessionKey(String id) {
        return redis.key("session", id);
    }

    @Override
    public void create(SessionInfo session, List<FileEntry> manifest) {
        var id = session.sessionId();
        long now = clock.millis();
        Long created = redis.call(c -> c.eval(CREATE, ScriptOutputType.INTEGER,
                new String[] {sessionKey(id), redis.key("manifest", id), redis.key("sessions"), ownerIndex(owner(session))},
                json(session), json(manifest), Long.toString(ttl.toMillis()),
                Long.toString(session.createdAt().toEpochMilli()), id, Long.toString(now - ttl.toMillis())));
        if (created == 0) throw new IllegalStateException("session " + id + " exists already");
    }

    @Override
    public Optional<SessionInfo> get(String sessionId) {
        return Optional.ofNullable(redis.call(c -> c.get(sessionKey(sessionId)))).map(this::session);
    }

    @Override
    public List<SessionInfo> list(int limit) {
        return listed(redis.key("sessions"), limit);
    }

    @Override
    public List<SessionInfo> listOwnedBy(String owner, int limit) {
        return listed(ownerIndex(owner), limit);
    }

    @Override
    public long bytesOwnedBy(String owner) {
        return listed(ownerIndex(owner), Integer.MAX_VALUE).stream().mapToLong(SessionInfo::bytes).sum();
    }

    private String ownerIndex(String owner) {
        return redis.key("sessions", "owner", owner);
    }

    /** The newest {@code limit} sessions of an index; ids whose session expired are pruned from it on the way. */
    private List<SessionInfo> listed(String index, int limit) {
        var ids = redis.call(c -> c.zrevrange(index, 0, limit - 1L));
        var out = new ArrayList<SessionInfo>(ids.size());
        var expired = new ArrayList<String>();
        for (int from = 0; from < ids.size(); from += MGET_BATCH) {
            var keys = ids.subList(from, Math.min(ids.size(), from + MGET_BATCH)).stream().map(this::sessionKey).toArray(String[]::new);
            for (var kv : redis.call(c -> c.mget(keys))) {
                if (kv.hasValue()) out.add(session(kv.getValue()));
                else expired.add(kv.getKey().substring(kv.getKey().lastIndexOf(':') + 1));
            }
        }
        if (!expired.isEmpty()) redis.call(c -> c.zrem(index, expired.toArray(String[]::new)));
        return out;
    }

    @Override
    public List<FileEntry> manifest(String sessionId) {
        var json = redis.call(c -> c.get(redis.key("manifest", sessionId)));
        if (json == null) return List.of();
        try {
            return mapper.readValue(json, MANIFEST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored manifest did not parse", e);
        }
    }

    @Override
    public Optional<SessionInfo> transition(String sessionId, SessionStatus next, String error) {
        var key = sessionKey(sessionId);
        while (true) {
            var current = redis.call(c -> c.get(key));
            if (current == null) return Optional.empty();
            var session = session(current);
            if (!session.status().canMoveTo(next)) return Optional.empty();
            var moved = session.withStatus(next, clock.instant(), error);
            Long swapped = redis.call(c -> c.eval(SWAP, ScriptOutputType.INTEGER, new String[] {key}, current, json(moved)));
            if (swapped == 1) return Optional.of(moved);
            // another worker moved it first: decide again on what it wrote
        }
    }

    @Override
    public void saveRunToken(String sessionId, String tokenSha256) {
        redis.call(c -> c.set(redis.key("token", tokenSha256), sessionId, SetArgs.Builder.px(ttl.toMillis())));
    }

    @Override
    public Optional<String> sessionForToken(String tokenSha256) {
        return Optional.ofNullable(redis.call(c -> c.get(redis.key("token", tokenSha256))));
    }

    @Override
    public void revokeRunToken(String tokenSha256) {
        redis.call(c -> c.del(redis.key("token", tokenSha256)));
    }

    private static String owner(SessionInfo s) {
        return s.owner() == null ? LEGACY_OWNER : s.owner();
    }

    private SessionInfo session(String json) {
        try {
            var s = mapper.readValue(json, SessionInfo.class);
            return s.owner() != null ? s : new SessionInfo(s.sessionId(), s.volume(), s.status(), s.context(), s.files(), s.bytes(),
                    s.createdAt(), s.updatedAt(), s.error(), LEGACY_OWNER);
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
