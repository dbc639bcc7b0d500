package dev.labdesk.worker.chat.transport;


import dev.labdesk.worker.redis.RedisBackend;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Which instance writes a user's replies: {@code labdesk:chat:{user}:writer} holds
 * "{instance} {client message id}". It expires {@link #TTL} after it was last renewed (each delta
 * renews it too, see {@link RedisChatStream}), so the replies of an instance that died are not
 * blocked for long.
 */
final class RedisChatWriterLease {
    /** Longer than the model's allowed silence between two chunks ({@code ChatModule.MODEL_READ_TIMEOUT}). */
    static final Duration TTL = Duration.ofMinutes(2);

    // KEYS writer; ARGV instance, reply_to, ttl ms → 1 when this instance holds it now
    private static final String CLAIM = """
            local cur = redis.call('GET', KEYS[1])
            if cur and string.sub(cur, 1, #ARGV[1] + 1) ~= ARGV[1] .. ' ' then return 0 end
            redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2], 'PX', ARGV[3])
            return 1
            """;
    // KEYS writer; ARGV instance
    private static final String RELEASE = """
            local cur = redis.call('GET', KEYS[1])
            if cur and string.sub(cur, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then redis.call('DEL', KEYS[1]) end
            return 1
            """;

    private final RedisBackend redis;
    private final RedisChatStream stream;
    private final String instance = UUID.randomUUID().toString();

    RedisChatWriterLease(RedisBackend redis, RedisChatStream stream) {
        this.redis = redis;
        this.stream = stream;
    }

    /** Takes or renews the lease, now answering {@code replyTo}; false while another instance holds it. */
    boolean claim(String userId, String replyTo) {
        Long held = redis.call(c -> c.eval(CLAIM, ScriptOutputType.INTEGER, new String[] {stream.writerKey(userId)},
                instance, replyTo, Long.toString(TTL.toMillis())));
        return held != null && held == 1;
    }

    /** The client message id another instance is answering for this user, if one is. */
    Optional<String> elsewhere(String userId) {
        var current = redis.call(c -> c.get(stream.writerKey(userId)));
        if (current == null || current.startsWith(instance + " ")) return Optional.empty();
        return Optional.of(current.substring(current.indexOf(' ') + 1));
    }

    /** Gives the lease up if this instance holds it. */
    void release(String userId) {
        redis.call(c -> c.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {stream.writerKey(userId)}, instance));
    }
}
