package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.ReportSummary;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.AgentRun.AgentExit;
import dev.labdesk.worker.chat.OpenAiReplay;
import dev.labdesk.worker.chat.ScriptedModel;
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
 * OpenAI's chat.completion shapes: a scripted model queries the session's tables, corrects a bad query from
 * its error, draws a chart and writes from the results; a failing model leaves the offline report; without a key
 * no request is made.
 */
class AgentNarrativeTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final String KEY = "sk-test-narrative-0123456789";
    private static final String SUMMARY = "Four wells of two strains, one OD600 reading missing.\n\n"
            + "The 2 wild-type wells read a mean OD600 of 0.135; the 1 measured mutant well reads 0.31.";
    private static final String HYPOTHESIS = "The data do not support \"mut grows slower\": its one reading (0.31) is above the wild type's mean (0.135),"
            + " though 1 well cannot settle it and a doubling time of 0.42 h cannot be computed from one time point.";

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
    void theModelQueriesCorrectsABadQueryDrawsAChartAndWritesFromTheResults() throws Exception {
        var bad = "SELECT strain, avg(od_600) FROM day1 GROUP BY strain";
        var good = "SELECT strain, count(*) AS wells, count(od600) AS measured, round(avg(od600), 3) AS mean_od600 FROM day1 GROUP BY strain ORDER BY strain";
        var markdown = new java.util.concurrent.atomic.AtomicReference<String>();
        var script = new ScriptedModel(List.of(
                request -> {
                    assertThat(request.path("tools").findValuesAsText("name")).containsExactly("query", "chart", "describe_table");
                    assertThat(request.at("/messages/1/content").asText()).contains("Hypothesis: mut grows slower")
                            .contains("- day1 (from exp/plates/day1.csv, 4 rows): well VARCHAR").contains("od600 DOUBLE (numeric, 1 missing)");
                    return OpenAiReplay.completion(OpenAiReplay.toolCalls(List.of(List.of("call_Q1", "query", sqlArgs(bad)))), "tool_calls");
                },
                request -> {
                    // the error came back as the tool's result: the model corrects its column
                    assertThat(JSON.readTree(ScriptedModel.lastContent(request)).path("error").asText())
                            .startsWith("Binder Error: Referenced column \"od_600\" not found").contains("od600");
                    return OpenAiReplay.completion(OpenAiReplay.toolCalls(List.of(List.of("call_Q2", "query", sqlArgs(good)))), "tool_calls");
                },
                request -> {
                    var result = JSON.readTree(ScriptedModel.lastContent(request));
                    assertThat(result.path("rows").toString()).isEqualTo("[[\"mut\",2,1,0.31],[\"wt\",2,2,0.135]]");
                    var chart = JSON.createObjectNode().put("kind", "bar").put("sql", good).put("x", "strain").put("y", "mean_od600")
                            .put("title", "Mean OD600 by strain");
                    return OpenAiReplay.completion(OpenAiReplay.toolCalls(List.of(List.of("call_C3", "chart", chart.toString()))), "tool_calls");
                },
                request -> {
                    markdown.set(JSON.readTree(ScriptedModel.lastContent(request)).path("markdown").asText());
                    assertThat(markdown.get()).startsWith("![Mean OD600 by strain").endsWith("](figures/model-mean-od600-by-strain.png)");
                    return OpenAiReplay.completion(OpenAiReplay.answer(SUMMARY + "\n\n" + markdown.get() + "\n\n## Hypothesis\n\n" + HYPOTHESIS), "stop");
                }));
        model.setDispatcher(script);
        var run = runAgent(KEY);

        assertThat(script.failures()).isEmpty();
        assertThat(script.requests()).hasSize(4);
        assertThat(logs(run, "INFO")).contains("Model asked for query(" + bad + ")", "Model asked for chart(bar, Mean OD600 by strain)")
                .anyMatch(l -> l.startsWith("The model wrote the summary (") && l.endsWith(" words) after 3 queries and 1 chart"));
        assertThat(logs(run, "INFO")).anyMatch(l -> l.startsWith("  … answered with an error: Binder Error: Referenced column \"od_600\""));
        assertThat(logs(run, "WARN")).containsExactly("Numbers in the model's text that no query result holds: 0.42");
        assertThat(summary(run).mode()).isEqualTo("llm");
        assertThat(summary(run).headline()).isEqualTo("Four wells of two strains, one OD600 reading missing.");

        var md = Files.readString(volume.resolve("results/report.md"));
        assertThat(md).contains("## Summary\n\n" + SUMMARY + "\n\n" + markdown.get() + "\n\n## Hypothesis: the model's reading\n\n" + HYPOTHESIS + "\n\n");
        assertThat(md).contains("> **Warning:** these numbers in the model's text were not found in any of its query results, the profile or the offline analysis: 0.42.");
        assertThat(md).contains("## Table `exp/plates/day1.csv`").as("the offline analysis stays");
        var appendix = md.substring(md.indexOf("## Queries the model ran"));
        assertThat(appendix).contains("**1.** failed after ").contains(" ms: Binder Error: Referenced column \"od_600\" not found")
                .contains("```sql\n" + bad + "\n```").contains("**2.** 2 rows in ").contains("```sql\n" + good + "\n```")
                .contains("**3.** for a chart, 2 rows in ");
        assertThat(volume.resolve("results/figures/model-mean-od600-by-strain.png")).isNotEmptyFile();
        assertThat(volume.resolve("results/figures/model-mean-od600-by-strain.svg")).isNotEmptyFile();

        var report = JSON.readTree(volume.resolve("results/report.json").toFile());
        assertThat(report.path("narrative").asText()).isEqualTo(SUMMARY + "\n\n" + markdown.get());
        var analysis = report.path("model_analysis");
        assertThat(analysis.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(analysis.path("hypothesis").asText()).isEqualTo(HYPOTHESIS);
        assertThat(analysis.path("queries").findValuesAsText("sql")).containsExactly(bad, good, good);
        assertThat(analysis.at("/queries/0/rows").isNumber()).as("a failed query has no rows").isFalse();
        assertThat(analysis.at("/queries/0/error").asText()).startsWith("Binder Error: Referenced column \"od_600\" not found");
        assertThat(analysis.at("/queries/1/rows").asLong()).isEqualTo(2);
        var figure = analysis.at("/charts/0/figure");
        assertThat(figure.path("png").asText()).isEqualTo("figures/model-mean-od600-by-strain.png");
        assertThat(figure.at("/data/labels").toString()).isEqualTo("[\"mut\",\"wt\"]");
        assertThat(figure.at("/data/values").toString()).isEqualTo("[0.31,0.135]");
        assertThat(analysis.path("unverified_numbers").toString()).isEqualTo("[\"0.42\"]");
        assertThat(report.path("tables").get(0).path("path").asText()).isEqualTo("exp/plates/day1.csv");
    }

    private static String sqlArgs(String sql) {
        return JSON.createObjectNode().put("sql", sql).toString();
    }

    @Test
    void aFailingModelLeavesTheOfflineReport() throws Exception {
        model.enqueue(OpenAiReplay.error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-test-***6789."));
        var refused = runAgent(KEY);
        assertThat(logs(refused, "WARN")).singleElement().asString()
                .startsWith("No model summary, the report stays offline: ").contains("HTTP 401").doesNotContain("6789");
        assertThat(summary(refused).mode()).isEqualTo("offline");
        assertThat(summary(refused).headline()).isEqualTo("1 table with 4 rows in 1 file (60 B)");

        model.enqueue(OpenAiReplay.error(500, "server_error", null, "The server had an error while processing your request."));
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

}
