package dev.labdesk.worker.redis;

import java.util.Locale;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import dev.labdesk.model.Health;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The worker's link to Redis: one shared, thread-safe Lettuce connection for ordinary commands,
 * plus dedicated connections for blocking reads ({@link StreamTail}). Every command has a timeout and
 * commands issued while the link is down are rejected at once instead of queued, so a request fails
 * fast with 503 rather than hanging; Lettuce reconnects by itself when Redis is back. The first
 * connection is made lazily, so a worker starts (and reports {@code redis: down}) even when Redis
 * is not up yet.
 */
public final class RedisBackend implements AutoCloseable {
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final String where;
    private final Duration timeout;
    private final String prefix;
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile StatefulRedisConnection<String, String> shared;

    /**
     * @param prefix prepended to every key, so that several deployments (or tests) can share one Redis
     */
    public RedisBackend(URI url, Duration timeout, String prefix) {
        this.uri = RedisURI.create(url.toString());
        this.uri.setTimeout(timeout);
        this.where = uri.getHost() + ":" + uri.getPort(); // never the password
        this.timeout = timeout;
        this.prefix = prefix;
        // reconnect quickly once Redis is back (Lettuce's default backoff grows to 30 s)
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled()) // each connection's own timeout (the tail's is longer than its block)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .build());
    }

    /** {@code host:port} of the server, for messages; never the password. */
    public String where() {
        return where;
    }

    public String key(String... parts) {
        return prefix + String.join(":", parts);
    }

    public Duration timeout() {
        return timeout;
    }

    /** Runs commands on the shared connection; a Redis failure becomes {@link RedisUnavailableException}. */
    public <T> T call(Function<RedisCommands<String, String>, T> commands) {
        try {
            return commands.apply(shared().sync());
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    /** A new connection of its own, for commands that block it (XREAD BLOCK); the caller closes it. */
    StatefulRedisConnection<String, String> dedicated(Duration commandTimeout) {
        try {
            var c = client.connect(uri);
            c.setTimeout(commandTimeout);
            return c;
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    /** A new publish/subscribe connection; the caller closes it. Lettuce re-subscribes it after a reconnect. */
    StatefulRedisPubSubConnection<String, String> pubSub() {
        try {
            return client.connectPubSub(uri);
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    RedisUnavailableException unavailable(RuntimeException e) {
        var reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        var cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !reason.contains(cause.getMessage())) reason += ": " + cause.getMessage();
        return new RedisUnavailableException("Redis at " + where + " is unavailable (" + reason.replace(uri.toString(), where) + ")", e);
    }

    private StatefulRedisConnection<String, String> shared() {
        var c = shared;
        if (c != null) return c;
        connecting.lock();
        try {
            if (shared == null) shared = client.connect(uri);
            return shared;
        } finally {
            connecting.unlock();
        }
    }

    /** {@code /health}: a PING within the command timeout. */
    public Health.Dependency health() {
        long start = System.nanoTime();
        try {
            call(RedisCommands::ping);
            return new Health.Dependency("ok", "redis at " + where + ", ping " + String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e6) + " ms");
        } catch (RedisUnavailableException e) {
            return new Health.Dependency("down", e.getMessage());
        }
    }

    @Override
    public void close() {
        var c = shared;
        if (c != null) c.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
