package dev.labdesk.worker.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Health;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.chat.ChatFrames;
import dev.labdesk.worker.chat.ChatRelay;
import dev.labdesk.worker.chat.ConversationStore;
import dev.labdesk.worker.chat.InMemoryChatRelay;
import dev.labdesk.worker.chat.InMemoryConversationStore;
import dev.labdesk.worker.events.EventLog;
import dev.labdesk.worker.events.InMemoryEventLog;
import dev.labdesk.worker.session.CancelRelay;
import dev.labdesk.worker.session.InMemorySessionStore;
import dev.labdesk.worker.session.SingleWorkerCancels;
import dev.labdesk.worker.session.SessionStore;

import java.time.Clock;
import java.util.Optional;

/**
 * The worker's shared state: in memory for a single worker, or in Redis when {@code REDIS_URL} is set
 * so that several workers behind one URL serve any request.
 */
public record Stores(SessionStore sessions, EventLog events, ConversationStore conversations, ChatRelay chat,
                     CancelRelay cancels, Optional<RedisBackend> redis, Optional<RedisPubSub> pubSub)
        implements AutoCloseable {
    public static final String KEY_PREFIX = "labdesk:";

    public static Stores of(WorkerConfig config, ObjectMapper mapper, Clock clock) {
        var scale = config.scale();
        var frames = new ChatFrames(mapper);
        if (config.redisUrl().isEmpty()) {
            var conversations = new InMemoryConversationStore();
            return new Stores(new InMemorySessionStore(clock), new InMemoryEventLog(scale.eventsPerSession()),
                    conversations, new InMemoryChatRelay(conversations, frames), new SingleWorkerCancels(), Optional.empty(), Optional.empty());
        }
        var redis = new RedisBackend(config.redisUrl().get(), scale.redisTimeout(), KEY_PREFIX);
        // connect in the background: the first connection loads Netty, which takes a while on a cold JVM
        Thread.ofVirtual().name("redis-connect").start(redis::health);
        var pubSub = new RedisPubSub(redis);
        var conversations = new RedisConversationStore(redis, mapper, InMemoryConversationStore.DEFAULT_MAX_MESSAGES_PER_USER, scale.retention());
        return new Stores(new RedisSessionStore(redis, mapper, clock, scale.retention()),
                new RedisEventLog(redis, mapper, scale.eventsPerSession(), scale.retention()),
                conversations, new RedisChatRelay(redis, pubSub, conversations, frames, scale.retention()),
                new RedisCancels(redis, pubSub), Optional.of(redis), Optional.of(pubSub));
    }

    /** The {@code redis} entry of {@code /health}. */
    public Health.Dependency health() {
        return redis.map(RedisBackend::health).orElse(new Health.Dependency("disabled", "in memory: no REDIS_URL"));
    }

    @Override
    public void close() {
        if (events instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
        chat.close();
        cancels.close();
        pubSub.ifPresent(RedisPubSub::close);
        redis.ifPresent(RedisBackend::close);
    }
}
