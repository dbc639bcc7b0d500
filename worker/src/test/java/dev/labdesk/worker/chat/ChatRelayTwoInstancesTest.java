package dev.labdesk.worker.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.redis.SharedRedis;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reply being written on worker A, seen and stopped from worker B: two real workers in model mode
 * on one real redis-server, A's openai-java client streaming from a local OpenAI-compatible server.
 */
class ChatRelayTwoInstancesTest {
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    @TempDir Path dirA;
    @TempDir Path dirB;
    private final MockWebServer model = new MockWebServer();
    private Worker a;
    private Worker b;
    private final OkHttpClient http = ChatTestClient.http();

    @BeforeEach
    void start() throws Exception {
        model.start();
        var base = URI.create(model.url("/v1").toString());
        a = new Worker(WorkerConfig.local(dirA).withRedis(redis.url()).withOpenAi("sk-test", base, "gpt-4o-mini")).start();
        b = new Worker(WorkerConfig.local(dirB).withRedis(redis.url()).withOpenAi("sk-test", base, "gpt-4o-mini")).start();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        model.close();
        http.dispatcher().executorService().shutdownNow();
    }

    private ChatTestClient connect(Worker w, String userId) throws Exception {
        var c = new ChatTestClient(http, w.baseUrl(), userId);
        c.opened.get(15, TimeUnit.SECONDS);
        return c;
    }

    private static List<String> words(int n) {
        var pieces = new ArrayList<String>();
        for (int i = 0; i < n; i++) pieces.add("w" + i + " ");
        return pieces;
    }

    private static List<JsonNode> deltas(ChatTestClient c) {
        return c.seen.stream().filter(f -> f.path("type").asText().equals("delta")).toList();
    }

    @Test
    void aReplyInProgressOnAIsReplayedToBFromItsFirstWordExactlyOnceThenLive() throws Exception {
        var pieces = words(120); // about 3 s of streaming: B joins well inside it even on a loaded machine
        var full = String.join("", pieces);
        model.enqueue(OpenAiReplay.slowSse(OpenAiReplay.textBody(pieces, true), 256, 25));
        try (var onA = connect(a, "hedy")) {
            onA.next("history");
            onA.message("q1", "tell me something long");
            var firstOnA = onA.next("delta");
            assertThat(firstOnA.path("reply_to").asText()).isEqualTo("q1");

            try (var onB = connect(b, "hedy")) {
                var history = onB.next("history");
                assertThat(history.path("messages")).as("only the question: the reply is still being written").hasSize(1);
                var catchUp = onB.next("delta");
                assertThat(catchUp.path("message_id").asText()).isEqualTo(firstOnA.path("message_id").asText());
                assertThat(catchUp.path("reply_to").asText()).isEqualTo("q1");
                assertThat(full).startsWith(catchUp.path("text").asText());
                assertThat(catchUp.path("text").asText()).as("joined mid-reply").isNotEqualTo(full);

                var onBAnswer = onB.answer("q1");
                assertThat(onBAnswer.text()).isEqualTo(full);
                assertThat(onBAnswer.streamed()).as("catch-up plus live deltas: no overlap, no gap").isEqualTo(full);
                assertThat(deltas(onB).size()).as("the rest came live, delta by delta").isGreaterThan(1);
                assertThat(deltas(onB).stream().skip(1)).allSatisfy(d -> assertThat(d.has("reply_to") && !d.get("reply_to").isNull()).isFalse());
                assertThat(onB.seen.stream().filter(f -> f.path("type").asText().equals("message"))).hasSize(1);

                var onAAnswer = onA.answer("q1");
                assertThat(onAAnswer.text()).isEqualTo(full).isEqualTo(onAAnswer.streamed());
                assertThat(onAAnswer.frame().path("id").asText()).isEqualTo(onBAnswer.frame().path("id").asText());
            }
        }
        try (var again = connect(b, "hedy")) {
            var messages = again.next("history").path("messages");
            assertThat(messages).hasSize(2);
            assertThat(messages.get(1).path("text").asText()).isEqualTo(full);
        }
        assertThat(model.getRequestCount()).as("one model call, on A").isEqualTo(1);
    }

    @Test
    void aStopSentOnBStopsTheReplyWrittenOnAAndBothKeepTheSamePartialText() throws Exception {
        model.enqueue(OpenAiReplay.slowSse(OpenAiReplay.textBody(words(200), true), 256, 25));
        try (var onA = connect(a, "ida"); var onB = connect(b, "ida")) {
            onA.next("history");
            onB.next("history");
            onA.message("q1", "go on and on");
            onA.next("delta");
            onB.next("delta");
            onB.send("{\"type\":\"stop\"}");
            var stoppedOnB = onB.answer("q1");
            var stoppedOnA = onA.answer("q1");
            assertThat(stoppedOnA.frame().path("status").asText()).isEqualTo("stopped");
            assertThat(stoppedOnA.text()).isNotEmpty().isEqualTo(stoppedOnA.streamed()).doesNotContain("w199");
            assertThat(stoppedOnB.text()).isEqualTo(stoppedOnA.text()).isEqualTo(stoppedOnB.streamed());
        }
        try (var c = connect(b, "ida")) {
            var stored = c.next("history").path("messages").get(1);
            assertThat(stored.path("status").asText()).isEqualTo("stopped");
        }
    }

    @Test
    void aMessageSentOnBWhileAWritesIsRefusedAsBusyNotStoredAndAnsweredWhenSentAgainAfter() throws Exception {
        model.enqueue(OpenAiReplay.slowSse(OpenAiReplay.textBody(words(120), true), 256, 25));
        model.enqueue(OpenAiReplay.sse(OpenAiReplay.textBody(List.of("Second", " answer"), true)));
        try (var onA = connect(a, "jean"); var onB = connect(b, "jean")) {
            onA.next("history");
            onB.next("history");
            onA.message("q1", "first question");
            onB.next("delta"); // A is writing
            onB.message("q2", "second question");
            var busy = onB.next("error");
            assertThat(busy.path("code").asText()).isEqualTo("busy");
            assertThat(busy.path("retryable").asBoolean()).isTrue();
            assertThat(busy.path("reply_to").asText()).isEqualTo("q2");
            assertThat(busy.path("message").asText()).contains("another worker instance");

            onB.message("q1", "first question"); // a resend of the message being answered on A: no second answer
            assertThat(onB.answer("q1").text()).isEqualTo(String.join("", words(120)));
            onA.answer("q1");

            onB.message("q2", "second question");
            assertThat(onB.answer("q2").text()).isEqualTo("Second answer");
            assertThat(onA.answer("q2").text()).as("A's socket sees B's reply too").isEqualTo("Second answer");
        }
        var texts = b.chat().service().store().history("jean").stream().map(m -> m.text()).toList();
        assertThat(texts).containsExactly("first question", String.join("", words(120)), "second question", "Second answer");
        assertThat(model.getRequestCount()).isEqualTo(2);
    }

    @Test
    void withRedisDownTheChatAnswersAtOnceWithAClearRetryableErrorAndWorksAgainWhenItIsBack() throws Exception {
        model.enqueue(OpenAiReplay.sse(OpenAiReplay.textBody(List.of("Back", " again"), true)));
        try (var onB = connect(b, "kay")) {
            onB.next("history");
            redis.stop();
            long start = System.nanoTime();
            onB.message("q1", "hello?");
            var error = onB.next("error");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(error.path("code").asText()).isEqualTo("unavailable");
            assertThat(error.path("retryable").asBoolean()).isTrue();
            assertThat(error.path("message").asText()).contains("Redis at 127.0.0.1:" + redis.port());
            onB.send("{\"type\":\"stop\"}");
            assertThat(onB.next("error").path("code").asText()).isEqualTo("unavailable");

            try (var refused = new ChatTestClient(http, a.baseUrl(), "kay")) {
                refused.opened.get(15, TimeUnit.SECONDS);
                var why = refused.next("error");
                assertThat(why.path("code").asText()).isEqualTo("unavailable");
                assertThat(why.path("message").asText()).contains("cannot load this conversation");
            }

            redis.start();
            var health = java.net.http.HttpRequest.newBuilder(URI.create(b.baseUrl() + "/health")).build();
            try (var client = java.net.http.HttpClient.newHttpClient()) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
                        () -> client.send(health, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            }
            onB.message("q1", "hello?");
            assertThat(onB.answer("q1").text()).isEqualTo("Back again");
        }
    }
}
