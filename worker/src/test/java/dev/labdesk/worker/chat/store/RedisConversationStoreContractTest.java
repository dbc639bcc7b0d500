package dev.labdesk.worker.chat.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.Json;
import dev.labdesk.worker.redis.RedisBackend;
import dev.labdesk.worker.redis.SharedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The conversation-store contract on a real redis-server. Redis expires keys by its own clock, so
 * time passes here by waiting; and it bounds only bytes, not the number of users.
 */
class RedisConversationStoreContractTest extends ConversationStoreContract {
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    private static final ObjectMapper MAPPER = Json.newMapper();
    private final List<RedisBackend> backends = new ArrayList<>();

    @AfterEach
    void close() {
        backends.forEach(RedisBackend::close);
    }

    @Override
    ConversationStore store(Bounds b) {
        // a prefix of its own: the byte total is one key per prefix
        var backend = new RedisBackend(redis.url(), Duration.ofSeconds(2), "contract-" + UUID.randomUUID() + ":");
        backends.add(backend);
        return new RedisConversationStore(backend, MAPPER, b.maxMessagesPerUser(), b.idle(), b.bytesPerUser(), b.bytesTotal(), Clock.systemUTC());
    }

    @Override
    long bytes(ChatMessage message) {
        try {
            return MAPPER.writeValueAsBytes(message).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    boolean boundsUsers() {
        return false;
    }

    @Override
    void pass(Duration d) throws InterruptedException {
        Thread.sleep(d);
    }
}
