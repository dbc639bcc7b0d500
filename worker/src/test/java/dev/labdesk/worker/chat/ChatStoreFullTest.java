package dev.labdesk.worker.chat;

import dev.labdesk.worker.Limits;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.redis.SharedRedis;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker whose chat store is full, over real WebSockets: a new conversation is refused with a
 * retryable {@code store_full} error frame, and the conversation already held goes on; with Redis,
 * the total is shared by every instance.
 */
class ChatStoreFullTest {
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    /** One byte in all: the first conversation fills the store. */
    private static final Limits FULL_AFTER_ONE = Limits.defaults().withChatBytes(64 << 10, 1);

    @TempDir Path dataDir;
    private final List<Worker> workers = new ArrayList<>();
    private final OkHttpClient http = ChatTestClient.http();

    @AfterEach
    void stop() {
        workers.forEach(Worker::close);
        http.dispatcher().executorService().shutdownNow();
    }

    @Test
    void aNewConversationIsRefusedWithARetryableStoreFullFrameWhileTheExistingOneGoesOn() throws Exception {
        var worker = start(WorkerConfig.local(dataDir).withLimits(FULL_AFTER_ONE));
        try (var real = connect(worker, "ada"); var fresh = connect(worker, "fresh-id-0001")) {
            real.next("history");
            real.message("c1", "Hello!");
            assertThat(real.answer("c1").frame().path("role").asText()).isEqualTo("assistant");

            fresh.next("history");
            assertRefused(fresh, "f1");
            assertThat(worker.chat().service().store().contains("fresh-id-0001")).isFalse();

            real.message("c2", "I'm Ada Lovelace");
            assertThat(real.answer("c2").frame().path("role").asText()).isEqualTo("assistant");
            assertThat(worker.chat().service().store().history("ada")).hasSize(4);
        }
    }

    @Test
    void withRedisTheTotalIsSharedSoAConversationOnOneInstanceFillsTheStoreForAll() throws Exception {
        var a = start(WorkerConfig.local(dataDir.resolve("a")).withRedis(redis.url()).withLimits(FULL_AFTER_ONE));
        var b = start(WorkerConfig.local(dataDir.resolve("b")).withRedis(redis.url()).withLimits(FULL_AFTER_ONE));
        assertThat(b.chat().service().store().kind()).isEqualTo("redis");
        try (var real = connect(a, "ada")) {
            real.next("history");
            real.message("c1", "Hello!");
            assertThat(real.answer("c1").frame().path("role").asText()).isEqualTo("assistant");
        }
        try (var fresh = connect(b, "fresh-id-0002")) {
            fresh.next("history");
            assertRefused(fresh, "f1");
        }
        try (var real = connect(b, "ada")) {
            real.next("history");
            real.message("c2", "I'm Ada Lovelace");
            assertThat(real.answer("c2").frame().path("role").asText()).isEqualTo("assistant");
        }
        assertThat(a.chat().service().store().history("ada")).hasSize(4);
    }

    private static void assertRefused(ChatTestClient client, String clientId) throws InterruptedException {
        client.message(clientId, "Hello too");
        var refused = client.next("error");
        assertThat(refused.path("code").asText()).isEqualTo("store_full");
        assertThat(refused.path("retryable").asBoolean()).isTrue();
        assertThat(refused.path("reply_to").asText()).isEqualTo(clientId);
        assertThat(refused.path("message").asText()).contains("existing conversations are not affected");
    }

    private Worker start(WorkerConfig config) throws Exception {
        var w = new Worker(config).start();
        workers.add(w);
        return w;
    }

    private ChatTestClient connect(Worker worker, String userId) throws Exception {
        var c = new ChatTestClient(http, worker.baseUrl(), userId);
        c.opened.get(15, TimeUnit.SECONDS);
        return c;
    }
}
