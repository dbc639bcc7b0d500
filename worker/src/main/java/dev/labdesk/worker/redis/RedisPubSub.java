package dev.labdesk.worker.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The worker's one publish/subscribe connection, for the few messages every instance must hear
 * (cancel a session's agent, stop a user's reply). The connection is made in the background and
 * retried until Redis answers, so a worker starts while Redis is down; once connected, Lettuce
 * reconnects and re-subscribes by itself. Handlers run on virtual threads, never on Lettuce's
 * event loop, because what they do (stopping an agent process) blocks.
 */
public final class RedisPubSub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisPubSub.class);
    private static final Duration RETRY = Duration.ofMillis(500);

    private final RedisBackend redis;
    private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile StatefulRedisPubSubConnection<String, String> connection;

    public RedisPubSub(RedisBackend redis) {
        this.redis = redis;
        Thread.ofVirtual().name("redis-pubsub-connect").start(this::connect);
    }

    /** Calls {@code handler} with every message published on {@code channel} from now on (once connected). */
    public void listen(String channel, Consumer<String> handler) {
        if (handlers.putIfAbsent(channel, handler) != null) throw new IllegalStateException(channel + " has a listener already");
        var c = connection;
        if (c != null) c.async().subscribe(channel);
    }

    /** Publishes; returns how many subscriptions (this worker's own included, if connected) received it. */
    public long publish(String channel, String message) {
        Long n = redis.call(c -> c.publish(channel, message));
        return n == null ? 0 : n;
    }

    /** Whether this worker's own subscription is in place (so its {@link #publish} counts itself). */
    public boolean listening() {
        var c = connection;
        return c != null && c.isOpen();
    }

    private void connect() {
        try {
            while (closed.getCount() > 0) {
                try {
                    var c = redis.pubSub();
                    c.addListener(new RedisPubSubAdapter<>() {
                        @Override
                        public void message(String channel, String message) {
                            var handler = handlers.get(channel);
                            if (handler != null) Thread.ofVirtual().name("redis-pubsub-" + channel).start(() -> handle(handler, channel, message));
                        }
                    });
                    connection = c; // first: a listen() from now on subscribes by itself; one before is in the set below
                    if (!handlers.isEmpty()) c.sync().subscribe(handlers.keySet().toArray(String[]::new));
                    if (closed.getCount() == 0) c.close();
                    return;
                } catch (RuntimeException e) {
                    log.debug("pub/sub connection to Redis not made yet: {}", e.toString());
                }
                closed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS); // wait before retrying, or stop when closed
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void handle(Consumer<String> handler, String channel, String message) {
        try {
            handler.accept(message);
        } catch (RuntimeException e) {
            log.warn("handling a message on {} failed", channel, e);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        var c = connection;
        if (c != null) c.close();
    }
}
