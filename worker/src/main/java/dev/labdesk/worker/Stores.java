package dev.labdesk.worker;

import dev.labdesk.worker.redis.RedisPubSub;
import dev.labdesk.worker.redis.RedisBackend;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Health;
import dev.labdesk.worker.chat.transport.ChatFrames;
import dev.labdesk.worker.chat.transport.ChatRelay;
import dev.labdesk.worker.chat.store.ConversationStore;
import dev.labdesk.worker.chat.transport.InMemoryChatRelay;
import dev.labdesk.worker.chat.store.InMemoryConversationStore;
import dev.labdesk.worker.chat.transport.RedisChatRelay;
import dev.labdesk.worker.chat.store.RedisConversationStore;
import dev.labdesk.worker.events.EventLog;
import dev.labdesk.worker.events.ingest.InMemoryLogBatchKeys;
import dev.labdesk.worker.events.ingest.LogBatchKeys;
import dev.labdesk.worker.events.InMemoryEventLog;
import dev.labdesk.worker.events.RedisEventLog;
import dev.labdesk.worker.events.ingest.RedisLogBatchKeys;
import dev.labdesk.worker.session.CancelRelay;
import dev.labdesk.worker.session.InMemorySessionStore;
import dev.labdesk.worker.session.MemoryRetention;
import dev.labdesk.worker.session.SingleWorkerCancels;
import dev.labdesk.worker.session.RedisCancels;
import dev.labdesk.worker.session.RedisSessionStore;
import dev.labdesk.worker.session.SessionStore;
import dev.labdesk.worker.sqlite.SqliteStores;

import java.time.Clock;
import java.util.Optional;

/**
 * The worker's shared state: for a single worker, durable in the database of its data dir
 * ({@link SqliteStores}); in Redis when {@code REDIS_URL} is set, so that several workers behind one URL
 * serve any request; in memory only where a test asks for it ({@link #inMemory}).
 */
public record Stores(SessionStore sessions, EventLog events, ConversationStore conversations, ChatRelay chat,
                     CancelRelay cancels, LogBatchKeys logBatches, Optional<RedisBackend> redis, Optional<RedisPubSub> pubSub,
                     Optional<MemoryRetention> memoryRetention, Optional<SqliteStores> sqlite)
        implements AutoCloseable {
    public static final String KEY_PREFIX = "labdesk:";

    /**
     * The Redis connection when {@code REDIS_URL} is set, connecting in the background. Apart from
     * the stores, so that /health's {@code redis} entry ({@link #health(Optional)}) can be answered
     * before the stores, their mapper and chat frames are built.
     */
    public static Optional<RedisBackend> backend(WorkerConfig config) {
        return config.redisUrl().map(url -> {
            var redis = new RedisBackend(url, config.scale().redisTimeout(), KEY_PREFIX);
            // connect in the background: the first connection loads Netty, which takes a while on a cold JVM
            Thread.ofVirtual().name("redis-connect").start(redis::health);
            return redis;
        });
    }

    /**
     * The stores over {@code backend} (from {@link #backend(WorkerConfig)}); without one, the database
     * of the data dir ({@link SqliteStores#open}, which refuses a database it cannot use).
     */
    public static Stores of(WorkerConfig config, Optional<RedisBackend> backend, ObjectMapper mapper, Clock clock) {
        var scale = config.scale();
        var frames = new ChatFrames(mapper);
        if (backend.isEmpty()) {
            var sqlite = SqliteStores.open(config, mapper, clock);
            return new Stores(sqlite.sessions(), sqlite.events(), sqlite.conversations(),
                    new InMemoryChatRelay(sqlite.conversations(), frames), new SingleWorkerCancels(), sqlite.logBatches(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(sqlite));
        }
        var redis = backend.get();
        var pubSub = new RedisPubSub(redis);
        var conversations = new RedisConversationStore(redis, mapper, InMemoryConversationStore.DEFAULT_MAX_MESSAGES_PER_USER, scale.retention(),
                config.limits().chatBytesPerPrincipal(), config.limits().chatBytesTotal(), clock);
        return new Stores(new RedisSessionStore(redis, mapper, clock, scale.retention()),
                new RedisEventLog(redis, mapper, scale.eventsPerSession(), scale.retention()),
                conversations, new RedisChatRelay(redis, pubSub, conversations, frames, scale.retention()),
                new RedisCancels(redis, pubSub), new RedisLogBatchKeys(redis), Optional.of(redis), Optional.of(pubSub),
                Optional.empty(), Optional.empty()); // Redis expires keys itself
    }

    /** Everything in this process's memory, lost on restart (tests that want no files). */
    public static Stores inMemory(WorkerConfig config, ObjectMapper mapper, Clock clock) {
        var scale = config.scale();
        var conversations = new InMemoryConversationStore(config.limits(), scale.retention());
        var sessions = new InMemorySessionStore(clock, scale.retention());
        var events = new InMemoryEventLog(scale.eventsPerSession(), scale.retention(), clock, mapper);
        return new Stores(sessions, events,
                conversations, new InMemoryChatRelay(conversations, new ChatFrames(mapper)), new SingleWorkerCancels(), new InMemoryLogBatchKeys(),
                Optional.empty(), Optional.empty(), Optional.of(new MemoryRetention(sessions, events, scale.retention())), Optional.empty());
    }

    /** The {@code redis} entry of {@code /health}. */
    public Health.Dependency health() {
        return health(redis);
    }

    /** The {@code redis} entry of {@code /health} for {@code backend} (none: in memory). */
    public static Health.Dependency health(Optional<RedisBackend> backend) {
        return backend.map(RedisBackend::health).orElse(new Health.Dependency("disabled", "single worker: no REDIS_URL"));
    }

    @Override
    public void close() {
        memoryRetention.ifPresent(MemoryRetention::close);
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
        sqlite.ifPresent(SqliteStores::close);
    }
}
