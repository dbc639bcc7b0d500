package dev.labdesk.worker.events.ingest;

import dev.labdesk.worker.redis.RedisBackend;
import io.lettuce.core.SetArgs;

import java.time.Duration;

/** Batch keys shared by every worker: a resend may reach another instance than the first post. */
public final class RedisLogBatchKeys implements LogBatchKeys {
    /** Longer than an agent keeps retrying a batch. */
    static final Duration TTL = Duration.ofHours(1);
    private final RedisBackend redis;

    public RedisLogBatchKeys(RedisBackend redis) {
        this.redis = redis;
    }

    @Override
    public Claim claim(String sessionId, String key, String bodyHash) {
        var redisKey = redis.key("logbatch", sessionId, key);
        // SET NX ... GET: the hash stored by whichever post took the key first, in the same command
        var before = redis.call(c -> c.setGet(redisKey, bodyHash, SetArgs.Builder.nx().px(TTL.toMillis())));
        if (before == null) return Claim.NEW;
        return Claim.taken("1".equals(before) ? null : before, bodyHash); // "1": taken before bodies were hashed
    }

    @Override
    public void release(String sessionId, String key) {
        redis.call(c -> c.del(redis.key("logbatch", sessionId, key)));
    }
}
