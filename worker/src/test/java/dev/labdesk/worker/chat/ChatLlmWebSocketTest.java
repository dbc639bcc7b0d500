package dev.labdesk.worker.chat;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat WebSocket of a real worker in model mode, its openai-java client talking to a local OpenAI-compatible server. */
class ChatLlmWebSocketTest {
    @TempDir Path dataDir;
    private final MockWebServer model = new MockWebServer();
    private Worker worker;
    private final OkHttpClient http = ChatTestClient.http();

    @BeforeEach
    void start() throws Exception {
        model.start();
        var config = WorkerConfig.local(dataDir).withOpenAi("sk-test", URI.create(model.url("/v1").toString()), "gpt-4o-mini");
        worker = new Worker(config).start();
    }

    @AfterEach
    void stop() {
        worker.close();
        model.close();
        http.dispatcher().executorService().shutdownNow();
    }

    private ChatTestClient connect(String userId) throws Exception {
        var c = new ChatTestClient(http, worker.baseUrl(), userId);
        c.opened.get(15, TimeUnit.SECONDS);
        return c;
    }

    private static List<String> words(int n) {
        var pieces = new ArrayList<String>();
        for (int i = 0; i < n; i++) pieces.add("w" + i + " ");
        return pieces;
    }

    @Test
    void historySaysLlmAndAToolCallBecomesAProfileFrameWithItsSource() throws Exception {
        assertThat(worker.chat().mode().wire()).isEqualTo("llm");
        model.enqueue(OpenAiReplay.sse(OpenAiReplay.toolCallBody("call_1", List.of("{\"role\": \"PhD", " student\", \"organisation\": \"ETH Zurich\"}"))));
        model.enqueue(OpenAiReplay.sse(OpenAiReplay.textBody(List.of("Great!", " What do you study?"), true)));
        try (var c = connect("dana")) {
            assertThat(c.next("history").path("mode").asText()).isEqualTo("llm");
            c.message("m1", "I'm a PhD student at ETH Zurich");
            var profile = c.next("profile");
            assertThat(profile.at("/profile/role").asText()).isEqualTo("PhD student");
            assertThat(profile.at("/sources/organisation").asText()).isEqualTo("m1");
            var answer = c.answer("m1");
            assertThat(answer.text()).isEqualTo("Great! What do you study?").isEqualTo(answer.streamed());
        }
        assertThat(worker.chat().service().store().profile("dana").profile().organisation()).isEqualTo("ETH Zurich");
    }

    @Test
    void reconnectingMidStreamYieldsTheWholeReplyExactlyOnce() throws Exception {
        var pieces = words(40);
        var full = String.join("", pieces);
        model.enqueue(OpenAiReplay.slowSse(OpenAiReplay.textBody(pieces, true), 256, 25));
        var first = connect("erin");
        first.next("history");
        first.message("q1", "tell me something long");
        var firstDelta = first.next("delta");
        assertThat(firstDelta.path("reply_to").asText()).isEqualTo("q1");
        first.cancel(); // the socket drops mid-reply

        try (var second = connect("erin")) {
            var history = second.next("history");
            assertThat(history.path("messages")).as("the reply is not finished yet").hasSize(1);
            var answer = second.answer("q1");
            assertThat(answer.text()).isEqualTo(full);
            assertThat(answer.streamed()).as("catch-up delta plus live deltas, no overlap, no gap").isEqualTo(full);
            long finals = second.seen.stream().filter(f -> f.path("type").asText().equals("message")).count();
            assertThat(finals).isEqualTo(1);
        }
        try (var third = connect("erin")) {
            var messages = third.next("history").path("messages");
            assertThat(messages).hasSize(2);
            assertThat(messages.get(1).path("text").asText()).isEqualTo(full);
        }
        assertThat(model.getRequestCount()).as("one model call for one message").isEqualTo(1);
    }

    @Test
    void stopEndsTheReplyAndKeepsThePartialText() throws Exception {
        model.enqueue(OpenAiReplay.slowSse(OpenAiReplay.textBody(words(80), true), 256, 25));
        try (var c = connect("fred")) {
            c.next("history");
            c.message("q1", "go on and on");
            c.next("delta");
            c.send("{\"type\":\"stop\"}");
            var answer = c.answer("q1");
            assertThat(answer.frame().path("status").asText()).isEqualTo("stopped");
            assertThat(answer.text()).isNotEmpty().isEqualTo(answer.streamed()).doesNotContain("w79");
        }
        try (var c = connect("fred")) {
            var stored = c.next("history").path("messages").get(1);
            assertThat(stored.path("status").asText()).isEqualTo("stopped");
        }
    }

    @Test
    void aRateLimitBecomesARetryableErrorAndResendingTheSameIdRetries() throws Exception {
        model.enqueue(OpenAiReplay.rateLimited());
        model.enqueue(OpenAiReplay.sse(OpenAiReplay.textBody(List.of("Hello", " again"), true)));
        try (var c = connect("gina")) {
            c.next("history");
            c.message("q1", "hi");
            var error = c.answer("q1").frame();
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("llm_rate_limited");
            assertThat(error.path("retryable").asBoolean()).isTrue();
            assertThat(error.path("message").asText()).contains("429");
            c.message("q1", "hi");
            assertThat(c.answer("q1").text()).isEqualTo("Hello again");
            c.message("q1", "hi");
            assertThat(c.next("message").at("/message/text").asText()).as("answered: no third model call").isEqualTo("Hello again");
        }
        assertThat(model.getRequestCount()).isEqualTo(2);
        assertThat(worker.chat().service().store().history("gina")).hasSize(2);
    }
}
