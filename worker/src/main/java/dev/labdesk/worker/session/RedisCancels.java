package dev.labdesk.worker.session;

import dev.labdesk.worker.redis.RedisPubSub;
import dev.labdesk.worker.redis.RedisBackend;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * Cancellations between worker instances over the pub/sub channel {@code labdesk:cancel}. A message
 * is {@code "{sender instance} {session id}"}; an instance ignores its own. Pub/sub delivers only to
 * instances connected at that moment, which is what a cancel needs: an instance that is not connected
 * cannot be running the agent (or cannot hear anything anyway), and the sender then ends the session
 * itself (see {@code SessionService#cancel}).
 */
public final class RedisCancels implements CancelRelay {
    private final RedisPubSub pubSub;
    private final String channel;
    private final String instance = UUID.randomUUID().toString();

    public RedisCancels(RedisBackend redis, RedisPubSub pubSub) {
        this.pubSub = pubSub;
        this.channel = redis.key("cancel");
    }

    @Override
    public void listen(Consumer<String> cancelOwnRun) {
        pubSub.listen(channel, message -> {
            int space = message.indexOf(' ');
            if (space > 0 && !message.substring(0, space).equals(instance)) cancelOwnRun.accept(message.substring(space + 1));
        });
    }

    @Override
    public long tellOthers(String sessionId) {
        boolean self = pubSub.listening(); // asked before publishing: if it says yes, PUBLISH counted us
        long heard = pubSub.publish(channel, instance + " " + sessionId);
        return Math.max(0, heard - (self ? 1 : 0));
    }

    @Override
    public void close() {
        // the pub/sub connection belongs to Stores
    }
}
