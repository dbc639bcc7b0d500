package dev.labdesk.worker.redis;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.Json;
import dev.labdesk.model.MessageStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bounds and expiry of the Redis conversation store, against a real redis-server. */
class RedisConversationStoreTest {
    @TempDir static Path redisDir;
    static RedisServer server;
    private RedisBackend backend;

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start(redisDir);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        server.close();
    }

    @BeforeEach
    void connect() {
        backend = new RedisBackend(server.url(), Duration.ofSeconds(2), "conv-test:");
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void theOldestMessagesAndTheirIdempotencyEntriesGoOnceAUserHasTooMany() {
        var store = new RedisConversationStore(backend, Json.newMapper(), 4, Duration.ofHours(1));
        for (int i = 1; i <= 3; i++) {
            store.append("u", ChatMessage.user("c" + i, "c" + i, "question " + i, T));
            store.append("u", ChatMessage.assistant("r" + i, "c" + i, "answer " + i, MessageStatus.COMPLETE, T));
        }
        assertThat(store.history("u")).extracting(ChatMessage::text).containsExactly("question 2", "answer 2", "question 3", "answer 3");
        assertThat(store.userMessage("u", "c1")).isEmpty();
        assertThat(store.replyTo("u", "c1")).isEmpty();
        assertThat(store.userMessage("u", "c3")).hasValueSatisfying(m -> assertThat(m.text()).isEqualTo("question 3"));
        assertThat(store.replyTo("u", "c2")).hasValueSatisfying(m -> assertThat(m.text()).isEqualTo("answer 2"));
        assertThat(store.contains("u")).isTrue();
        assertThat(store.contains("nobody")).isFalse();
    }

    @Test
    void aConversationExpiresAfterTheRetentionTimeSinceItsLastWrite() {
        var store = new RedisConversationStore(backend, Json.newMapper(), 200, Duration.ofMillis(400));
        store.append("brief", ChatMessage.user("c1", "c1", "hi", T));
        assertThat(store.history("brief")).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !store.contains("brief"));
        assertThat(store.history("brief")).isEmpty();
        assertThat(store.userMessage("brief", "c1")).isEmpty();
    }
}
