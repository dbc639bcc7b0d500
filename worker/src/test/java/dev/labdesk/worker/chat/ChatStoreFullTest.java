package dev.labdesk.worker.chat;

import dev.labdesk.worker.Limits;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker whose chat store is full, over real WebSockets: a new conversation is refused with a
 * retryable {@code store_full} error frame, and the conversation already held goes on.
 */
class ChatStoreFullTest {
    @TempDir Path dataDir;
    private Worker worker;
    private final OkHttpClient http = ChatTestClient.http();

    @BeforeEach
    void start() throws Exception {
        // one byte in all: the first conversation fills the store
        worker = new Worker(WorkerConfig.local(dataDir).withLimits(Limits.defaults().withChatBytes(64 << 10, 1))).start();
    }

    @AfterEach
    void stop() {
        worker.close();
        http.dispatcher().executorService().shutdownNow();
    }

    @Test
    void aNewConversationIsRefusedWithARetryableStoreFullFrameWhileTheExistingOneGoesOn() throws Exception {
        try (var real = connect("ada"); var fresh = connect("fresh-id-0001")) {
            real.next("history");
            real.message("c1", "Hello!");
            assertThat(real.answer("c1").frame().path("role").asText()).isEqualTo("assistant");

            fresh.next("history");
            fresh.message("f1", "Hello too");
            var refused = fresh.next("error");
            assertThat(refused.path("code").asText()).isEqualTo("store_full");
            assertThat(refused.path("retryable").asBoolean()).isTrue();
            assertThat(refused.path("reply_to").asText()).isEqualTo("f1");
            assertThat(refused.path("message").asText()).contains("existing conversations are not affected");
            assertThat(worker.chat().service().store().contains("fresh-id-0001")).isFalse();

            real.message("c2", "I'm Ada Lovelace");
            assertThat(real.answer("c2").frame().path("role").asText()).isEqualTo("assistant");
            assertThat(worker.chat().service().store().history("ada")).hasSize(4);
        }
    }

    private ChatTestClient connect(String userId) throws Exception {
        var c = new ChatTestClient(http, worker.baseUrl(), userId);
        c.opened.get(15, TimeUnit.SECONDS);
        return c;
    }
}
