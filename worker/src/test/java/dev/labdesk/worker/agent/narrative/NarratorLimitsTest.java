package dev.labdesk.worker.agent.narrative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.agent.analysis.Report;
import dev.labdesk.worker.llm.LlmClients;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The narrative's two bounds, with real openai-java against a local server replaying OpenAI's
 * response format: at most {@link Narrator#MAX_TOOL_ROUNDS} rounds of tools and {@link Narrator#MAX_TOOL_CALLS} calls,
 * a bound on each answer's tokens, and a time budget that also cuts a single answer that is too slow.
 */
class NarratorLimitsTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir Path scratch;
    private final MockWebServer model = new MockWebServer();
    private QueryTool query;

    @BeforeEach
    void start() throws Exception {
        model.start();
        query = new SandboxedTables(scratch).open(Duration.ofSeconds(5), JSON);
    }

    @AfterEach
    void stop() throws Exception {
        model.close();
        query.close();
    }

    private Narrator narrator(Duration budget) {
        var client = LlmClients.create("sk-test-limits", Optional.of(URI.create(model.url("/v1").toString())), Duration.ofSeconds(30));
        return new Narrator(client, "gpt-test", budget);
    }

    private DatasetTools tools() {
        return new DatasetTools(List.of(), List.of(), query, null, JSON);
    }

    private static Report report() {
        return new Report("s1", null, Instant.EPOCH, "offline", List.of(), List.of(), List.of(), List.of(), null);
    }

    @Test
    void aModelThatKeepsCallingToolsIsMadeToAnswerAfterTheLastRound() throws Exception {
        for (int i = 0; i < Narrator.MAX_TOOL_ROUNDS; i++) model.enqueue(toolCall("call_" + i, 0));
        model.enqueue(answer("The dataset is empty.", 0));
        var log = new ArrayList<String>();

        var written = narrator(Duration.ofMinutes(1)).write(report(), tools(), log::add);

        assertThat(written.summary()).isEqualTo("The dataset is empty.");
        assertThat(written.queries()).hasSize(Narrator.MAX_TOOL_ROUNDS).allMatch(q -> q.rows() == 1L && q.sql().equals("SELECT 1"));
        assertThat(model.getRequestCount()).isEqualTo(Narrator.MAX_TOOL_ROUNDS + 1);
        assertThat(log).hasSize(Narrator.MAX_TOOL_ROUNDS).allMatch(l -> l.equals("Model asked for query(SELECT 1)"));
        for (int i = 0; i < Narrator.MAX_TOOL_ROUNDS; i++)
            assertThat(body(model.takeRequest(5, TimeUnit.SECONDS)).has("tool_choice")).as("round " + i + " may use tools").isFalse();
        var last = body(model.takeRequest(5, TimeUnit.SECONDS));
        assertThat(last.path("tool_choice").asText()).as("the last round allows no tools").isEqualTo("none");
        // system + brief, then each round's assistant call and tool result
        assertThat(last.path("messages")).hasSize(2 + 2 * Narrator.MAX_TOOL_ROUNDS);
    }

    @Test
    void callsBeyondTheBudgetOfToolCallsAreRefusedAndTheNextRoundMustAnswer() throws Exception {
        var message = JSON.createObjectNode().put("role", "assistant");
        message.putNull("content");
        var calls = message.putArray("tool_calls");
        for (int i = 0; i < Narrator.MAX_TOOL_CALLS + 2; i++)
            calls.addObject().put("id", "call_" + i).put("type", "function").putObject("function").put("name", "query").put("arguments", "{\"sql\":\"SELECT " + i + "\"}");
        model.enqueue(completion(message, "tool_calls", 0));
        model.enqueue(answer("Done.", 0));

        var written = narrator(Duration.ofMinutes(1)).write(report(), tools(), l -> {});

        assertThat(written.summary()).isEqualTo("Done.");
        assertThat(written.queries()).hasSize(Narrator.MAX_TOOL_CALLS);
        model.takeRequest(5, TimeUnit.SECONDS);
        var last = body(model.takeRequest(5, TimeUnit.SECONDS));
        assertThat(last.path("tool_choice").asText()).isEqualTo("none");
        var results = last.path("messages");
        assertThat(results.get(results.size() - 1).path("content").asText()).contains("no more function calls: " + Narrator.MAX_TOOL_CALLS + " have been made");
        assertThat(results.get(results.size() - 3).path("content").asText()).contains("\"row_count\":1");
        assertThat(last.path("max_completion_tokens").asLong()).isEqualTo(Narrator.MAX_ANSWER_TOKENS);
    }

    @Test
    void onceTheTokenBudgetIsSpentTheNextRoundMustAnswer() throws Exception {
        var message = JSON.createObjectNode().put("role", "assistant");
        message.putNull("content");
        message.putArray("tool_calls").addObject().put("id", "call_big").put("type", "function")
                .putObject("function").put("name", "query").put("arguments", "{\"sql\":\"SELECT 1\"}");
        model.enqueue(completion(message, "tool_calls", 0, Narrator.MAX_TOTAL_TOKENS));
        model.enqueue(answer("Enough.", 0));

        var written = narrator(Duration.ofMinutes(1)).write(report(), tools(), l -> {});

        assertThat(written.summary()).isEqualTo("Enough.");
        assertThat(body(model.takeRequest(5, TimeUnit.SECONDS)).has("tool_choice")).isFalse();
        assertThat(body(model.takeRequest(5, TimeUnit.SECONDS)).path("tool_choice").asText()).isEqualTo("none");
    }

    @Test
    void aSlowModelIsCutAtTheBudgetEvenInsideOneAnswer() {
        model.enqueue(answer("too late", 5_000));
        var narrator = narrator(Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> narrator.write(report(), tools(), l -> {}))
                .isInstanceOf(Narrator.NarrativeException.class)
                .hasMessage("the model took longer than 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("not the 5 s the answer took, nor openai-java's retries")
                .isLessThan(Duration.ofMillis(3_500));
    }

    @Test
    void roundsStopOnceTheBudgetIsSpent() {
        for (int i = 0; i < 5; i++) model.enqueue(toolCall("call_" + i, 400));
        assertThatThrownBy(() -> narrator(Duration.ofSeconds(1)).write(report(), tools(), l -> {}))
                .isInstanceOf(Narrator.NarrativeException.class)
                .hasMessage("the model took longer than 1 s");
        assertThat(model.getRequestCount()).isBetween(2, 4);
    }

    private static MockResponse toolCall(String id, long delayMillis) {
        var message = JSON.createObjectNode().put("role", "assistant");
        message.putNull("content");
        var call = message.putArray("tool_calls").addObject().put("id", id).put("type", "function");
        call.putObject("function").put("name", "query").put("arguments", "{\"sql\":\"SELECT 1\"}");
        return completion(message, "tool_calls", delayMillis);
    }

    private static MockResponse answer(String text, long delayMillis) {
        return completion(JSON.createObjectNode().put("role", "assistant").put("content", text), "stop", delayMillis);
    }

    private static MockResponse completion(JsonNode message, String finishReason, long delayMillis) {
        return completion(message, finishReason, delayMillis, 60);
    }

    private static MockResponse completion(JsonNode message, String finishReason, long delayMillis, long totalTokens) {
        var body = JSON.createObjectNode().put("id", "chatcmpl-limits").put("object", "chat.completion")
                .put("created", 1_764_000_000L).put("model", "gpt-test");
        var choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", finishReason);
        choice.set("message", message);
        choice.putNull("logprobs");
        body.putObject("usage").put("prompt_tokens", totalTokens - 10).put("completion_tokens", 10).put("total_tokens", totalTokens);
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .headersDelay(delayMillis, TimeUnit.MILLISECONDS).body(body.toString()).build();
    }

    private static JsonNode body(mockwebserver3.RecordedRequest recorded) throws Exception {
        return JSON.readTree(recorded.getBody().utf8());
    }
}
