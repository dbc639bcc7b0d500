package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.ReportSummary;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.AgentRun.AgentExit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real agent in a child JVM, its openai-java client talking to a local server that replays
 * OpenAI's chat.completion shapes: the model calls a tool over the DuckDB profile, then writes the
 * summary; a failing model leaves the offline report; without a key no request is made.
 */
class AgentNarrativeTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final String KEY = "sk-test-narrative-0123456789";
    private static final String SUMMARY = "Four wells of two strains, one OD600 reading missing.\n\nThe mutant reads higher on day 1.";

    @TempDir Path dataDir;
    @TempDir Path volume;
    private final MockWebServer model = new MockWebServer();
    private Worker worker;

    @BeforeEach
    void start() throws IOException {
        model.start();
        Files.createDirectories(volume.resolve("exp/plates"));
        Files.writeString(volume.resolve("exp/plates/day1.csv"), "well,od600,strain\nA1,0.12,wt\nA2,0.15,wt\nB1,,mut\nB2,0.31,mut\n");
    }

    @AfterEach
    void stop() {
        if (worker != null) worker.close();
        model.close();
    }

    @Test
    void theModelLooksAtTheProfileThroughAToolAndWritesTheSummary() throws Exception {
        var calls = toolCallMessage("call_Qx1", "describe_table", "{\"path\":\"exp/plates/day1.csv\"}");
        addCall(calls, "call_Sm2", "sample_rows", "{\"path\":\"exp/plates/day1.csv\",\"n\":2}");
        model.enqueue(completion(calls, "tool_calls"));
        model.enqueue(completion(JSON.createObjectNode().put("role", "assistant").put("content", SUMMARY), "stop"));
        var run = runAgent(KEY);

        assertThat(model.getRequestCount()).isEqualTo(2);
        var first = body(model.takeRequest(5, TimeUnit.SECONDS));
        assertThat(first.path("tools").findValuesAsText("name")).containsExactly("list_tables", "describe_table", "sample_rows");
        assertThat(first.at("/messages/1/content").asText()).contains("Experiment: Growth curves").contains("Hypothesis: mut grows slower");
        var second = body(model.takeRequest(5, TimeUnit.SECONDS));
        var messages = second.path("messages");
        assertThat(messages.get(2).path("tool_calls").get(0).path("id").asText()).isEqualTo("call_Qx1");
        var toolMessage = messages.get(3);
        assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
        assertThat(toolMessage.path("tool_call_id").asText()).isEqualTo("call_Qx1");
        // what the model was told is DuckDB's profile of the file
        var profile = JSON.readTree(toolMessage.path("content").asText());
        assertThat(profile.path("rows").asLong()).isEqualTo(4);
        var od = profile.path("columns").get(1);
        assertThat(od.path("name").asText()).isEqualTo("od600");
        assertThat(od.path("type").asText()).isEqualTo("DOUBLE");
        assertThat(od.path("nulls").asLong()).isEqualTo(1);
        assertThat(od.path("min").asText()).isEqualTo("0.12");
        assertThat(od.path("max").asText()).isEqualTo("0.31");
        assertThat(od.path("mean").asDouble()).isCloseTo(0.19333, org.assertj.core.data.Offset.offset(1e-4));

        var sample = JSON.readTree(messages.get(4).path("content").asText());
        assertThat(messages.get(4).path("tool_call_id").asText()).isEqualTo("call_Sm2");
        assertThat(sample.path("rows").findValuesAsText("well")).containsExactly("A1", "A2");

        assertThat(logs(run, "INFO")).contains("Model asked for describe_table(exp/plates/day1.csv)",
                "Model asked for sample_rows(exp/plates/day1.csv, 2)");
        assertThat(summary(run).mode()).isEqualTo("llm");
        assertThat(summary(run).headline()).isEqualTo("Four wells of two strains, one OD600 reading missing.");
        var md = Files.readString(volume.resolve("results/report.md"));
        assertThat(md).contains("## Summary\n\n" + SUMMARY + "\n\n");
        assertThat(md.indexOf("## Summary")).isLessThan(md.indexOf("## Files"));
        var report = JSON.readTree(volume.resolve("results/report.json").toFile());
        assertThat(report.path("narrative").asText()).isEqualTo(SUMMARY);
        assertThat(report.path("mode").asText()).isEqualTo("llm");
    }

    @Test
    void aFailingModelLeavesTheOfflineReport() throws Exception {
        model.enqueue(error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-test-***6789."));
        var refused = runAgent(KEY);
        assertThat(logs(refused, "WARN")).singleElement().asString()
                .startsWith("No model summary, the report stays offline: ").contains("HTTP 401").doesNotContain("6789");
        assertThat(summary(refused).mode()).isEqualTo("offline");
        assertThat(summary(refused).headline()).isEqualTo("1 table with 4 rows in 1 file (60 B)");

        model.enqueue(error(500, "server_error", null, "The server had an error while processing your request."));
        var failed = runAgent(KEY);
        assertThat(logs(failed, "WARN")).singleElement().asString().contains("HTTP 500");
        assertThat(summary(failed).mode()).isEqualTo("offline");
        assertThat(Files.readString(volume.resolve("results/report.md"))).doesNotContain("## Summary").contains("## Table `exp/plates/day1.csv`");
        assertThat(JSON.readTree(volume.resolve("results/report.json").toFile()).path("narrative").asText(null)).isNull();
    }

    @Test
    void withoutAKeyTheModelIsNeverAsked() throws Exception {
        var run = runAgent(null);
        assertThat(summary(run).mode()).isEqualTo("offline");
        assertThat(model.getRequestCount()).isZero();
    }

    /** Starts a worker pointed at the local model server (with {@code key} or none), runs the agent to its end. */
    private RegisteredRun runAgent(String key) throws Exception {
        if (worker == null)
            worker = new Worker(WorkerConfig.local(dataDir).withOpenAi(key, URI.create(model.url("/v1").toString()), "gpt-4o-mini")).start();
        var run = RegisteredRun.in(worker);
        var context = new ExperimentContext("Growth curves", "OD600 of two strains", "compare strains", "mut grows slower",
                "lab@example.org", List.of("growth"), Map.of());
        var job = new AgentJob(run.sessionId(), "dataset-volume-" + run.sessionId(), volume, context,
                worker.baseUrl().resolve("/log"), run.token(), Duration.ofMinutes(2));
        var exit = new ProcessAgentLauncher(worker.config()).launch(job).exit().get(90, TimeUnit.SECONDS);
        assertThat(exit.kind()).as(exit.detail()).isEqualTo(AgentExit.Kind.SUCCEEDED);
        assertThat(exit.code()).isZero();
        return run;
    }

    private static List<String> logs(RegisteredRun run, String level) throws InterruptedException {
        var out = new ArrayList<String>();
        for (var e : run.events()) if (e instanceof SessionEvent.Log l && l.level().equals(level)) out.add(l.message());
        return out;
    }

    private static ReportSummary summary(RegisteredRun run) throws InterruptedException {
        return run.events().stream().filter(e -> e instanceof SessionEvent.Result).map(e -> ((SessionEvent.Result) e).summary())
                .findFirst().orElseThrow();
    }

    private static JsonNode body(mockwebserver3.RecordedRequest recorded) throws IOException {
        assertThat(recorded).isNotNull();
        return JSON.readTree(recorded.getBody().utf8());
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode toolCallMessage(String id, String name, String arguments) {
        var m = JSON.createObjectNode().put("role", "assistant").putNull("content");
        m.putArray("tool_calls");
        addCall(m, id, name, arguments);
        return m;
    }

    private static void addCall(com.fasterxml.jackson.databind.node.ObjectNode message, String id, String name, String arguments) {
        var call = message.withArray("tool_calls").addObject();
        call.put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
    }

    /** A non-streamed chat.completion as OpenAI sends it. */
    private static MockResponse completion(JsonNode message, String finishReason) {
        var c = JSON.createObjectNode();
        c.put("id", "chatcmpl-Nr4t1v3").put("object", "chat.completion").put("created", 1764619200).put("model", "gpt-4o-mini-2024-07-18");
        var choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        var msg = choice.putObject("message");
        msg.setAll((com.fasterxml.jackson.databind.node.ObjectNode) message);
        msg.putNull("refusal").putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        c.putObject("usage").put("prompt_tokens", 530).put("completion_tokens", 41).put("total_tokens", 571);
        c.put("service_tier", "default").put("system_fingerprint", "fp_0aa8d3e20b");
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(c.toString()).build();
    }

    private static MockResponse error(int code, String type, String errorCode, String message) {
        var body = JSON.createObjectNode();
        var e = body.putObject("error");
        e.put("message", message).put("type", type).putNull("param");
        if (errorCode == null) e.putNull("code"); else e.put("code", errorCode);
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8").body(body.toString()).build();
    }
}
