package dev.labdesk.worker.redis;

import dev.labdesk.worker.events.LogBatchKeys;
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
    public boolean claim(String sessionId, String key) {
        return "OK".equals(redis.call(c -> c.set(redis.key("logbatch", sessionId, key), "1", SetArgs.Builder.nx().px(TTL.toMillis()))));
    }

    @Override
    public void release(String sessionId, String key) {
        redis.call(c -> c.del(redis.key("logbatch", sessionId, key)));
    }
}
