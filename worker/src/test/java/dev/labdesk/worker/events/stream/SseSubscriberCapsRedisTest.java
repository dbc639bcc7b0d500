package dev.labdesk.worker.events.stream;

import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.redis.SharedRedis;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The subscriber caps on a worker whose events and sessions are in a real Redis: a stream waiting
 * on the Redis stream tail is cut as promptly when its client leaves. The counts are per instance.
 */
class SseSubscriberCapsRedisTest extends SseSubscriberCapsTest {
    @RegisterExtension static final SharedRedis redis = new SharedRedis();

    @Override
    WorkerConfig configure(WorkerConfig config) {
        return config.withRedis(redis.url());
    }
}
