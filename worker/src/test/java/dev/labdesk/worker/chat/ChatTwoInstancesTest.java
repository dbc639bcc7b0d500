package dev.labdesk.worker.chat;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.redis.SharedRedis;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat on two real workers sharing one real redis-server: a reconnect to B sees what happened on A. */
class ChatTwoInstancesTest {
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    @TempDir Path dirA;
    @TempDir Path dirB;
    private Worker a;
    private Worker b;
    private final OkHttpClient http = ChatTestClient.http();

    @BeforeEach
    void start() throws Exception {
        a = new Worker(WorkerConfig.local(dirA).withRedis(redis.url())).start();
        b = new Worker(WorkerConfig.local(dirB).withRedis(redis.url())).start();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        http.dispatcher().executorService().shutdownNow();
    }

    private ChatTestClient connect(Worker w, String userId) throws Exception {
        var c = new ChatTestClient(http, w.baseUrl(), userId);
        c.opened.get(15, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void aReconnectToBSeesTheHistoryAndProfileMadeOnAAndAResendThereIsNotAnsweredTwice() throws Exception {
        String firstReply;
        try (var onA = connect(a, "grace")) {
            assertThat(onA.next("history").path("messages")).isEmpty();
            onA.message("c1", "Hello!");
            firstReply = onA.answer("c1").text();
            onA.message("c2", "I'm Grace Hopper, nice to meet you");
            assertThat(onA.next("profile").at("/profile/name").asText()).isEqualTo("Grace Hopper");
            onA.answer("c2");
        }
        try (var onB = connect(b, "grace")) {
            var history = onB.next("history");
            var texts = new ArrayList<String>();
            history.path("messages").forEach(m -> texts.add(m.path("role").asText() + ": " + m.path("text").asText()));
            assertThat(texts).hasSize(4);
            assertThat(texts.get(0)).isEqualTo("user: Hello!");
            assertThat(texts.get(1)).isEqualTo("assistant: " + firstReply);
            assertThat(texts.get(2)).isEqualTo("user: I'm Grace Hopper, nice to meet you");
            assertThat(history.at("/profile/profile/name").asText()).isEqualTo("Grace Hopper");

            onB.message("c1", "Hello!"); // the client resends after its reconnect
            var again = onB.next("message");
            assertThat(again.at("/message/text").asText()).isEqualTo(firstReply);
            assertThat(again.at("/message/reply_to").asText()).isEqualTo("c1");
        }
        assertThat(b.chat().service().store().history("grace")).hasSize(4);
        assertThat(a.chat().service().store().kind()).isEqualTo("redis");
    }
}
