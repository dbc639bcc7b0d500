package dev.labdesk.worker.redis;

import dev.labdesk.worker.chat.store.RedisConversationStore;
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

/** What only the Redis conversation store does (its expiry, its byte counts in Redis), against a real redis-server; the bounds every store shares are in {@code RedisConversationStoreContractTest}. */
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

    @Test
    void aConversationOverItsByteShareDropsItsOwnOldestMessagesNeverAnothers() throws Exception {
        try (var own = new RedisBackend(server.url(), Duration.ofSeconds(2), "conv-share-" + java.util.UUID.randomUUID() + ":")) {
            var mapper = Json.newMapper();
            long oneMessage = mapper.writeValueAsString(ChatMessage.user("m00", "m00", "x".repeat(100), T)).length();
            var store = new RedisConversationStore(own, mapper, 1_000, Duration.ofHours(1), 5 * oneMessage, 1L << 30, java.time.Clock.systemUTC());
            store.append("quiet", ChatMessage.user("q", "q", "the only message", T));
            for (int i = 10; i < 30; i++) store.append("chatty", ChatMessage.user("m" + i, "m" + i, "x".repeat(100), T));
            assertThat(store.history("chatty")).extracting(ChatMessage::id).containsExactly("m25", "m26", "m27", "m28", "m29");
            assertThat(store.userMessage("chatty", "m24")).isEmpty();
            assertThat(store.history("quiet")).extracting(ChatMessage::text).containsExactly("the only message");
            String userBytes = own.call(c -> c.hget(own.key("chat-user-bytes"), "chatty"));
            assertThat(Long.parseLong(userBytes)).isEqualTo(5 * oneMessage);
        }
    }

    @Test
    void anExpiredConversationGivesItsBytesBackToTheTotal() throws Exception {
        try (var own = new RedisBackend(server.url(), Duration.ofSeconds(2), "conv-expiry-" + java.util.UUID.randomUUID() + ":")) {
            var mapper = Json.newMapper();
            var message = ChatMessage.user("a", "a", "hello", T);
            long oneMessage = mapper.writeValueAsString(message).length();
            var store = new RedisConversationStore(own, mapper, 200, Duration.ofMillis(300), 64 << 10, oneMessage, java.time.Clock.systemUTC());
            store.append("first", message);
            assertThat(store.admits("second")).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> !store.contains("first") && store.admits("second"));
            store.append("second", ChatMessage.user("b", "b", "hello", T));
            String total = own.call(c -> c.get(own.key("chat-bytes")));
            assertThat(total).isEqualTo(Long.toString(oneMessage));
        }
    }
}
