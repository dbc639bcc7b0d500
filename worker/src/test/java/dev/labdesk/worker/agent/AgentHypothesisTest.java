package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.AgentRun.AgentExit;
import dev.labdesk.worker.agent.analysis.experiment.PlateFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The real agent, offline, on what a researcher uploads after a growth experiment: the plate reader's .xlsx export
 * (header block, Time, one column per well) and the plate's layout.csv. The report answers "dlacZ grows slower than wt"
 * with per-well areas under the curve compared by Welch's t-test, and charts; every number checks against this test's arithmetic.
 */
class AgentHypothesisTest {
    private static final ObjectMapper JSON = Json.newMapper();

    @TempDir Path dataDir;
    @TempDir Path volume;
    private Worker worker;

    @BeforeEach
    void start() throws java.io.IOException {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void aPlateReaderExportAndItsLayoutAnswerTheHypothesisWithPerWellAreasAndCharts() throws Exception {
        var plate = PlateFixture.growthCurves(7);
        plate.writeXlsx(volume.resolve("2026-12-01 growth OD600.xlsx"));
        plate.writeLayout(volume.resolve("layout.csv"));
        var context = new ExperimentContext("lacZ knockout growth", "OD600 every 15 min, 30 °C, LB", "Does deleting lacZ cost growth in LB?",
                "dlacZ grows slower than wt", null, List.of("growth"), Map.of());

        var run = RegisteredRun.in(worker);
        var job = new AgentJob(run.sessionId(), "dataset-volume-" + run.sessionId(), volume, context,
                worker.baseUrl().resolve("/log"), run.token(), Duration.ofMinutes(3));
        var exit = new ProcessAgentLauncher(worker.config()).launch(job).exit().get(170, TimeUnit.SECONDS);
        assertThat(exit.kind()).as(exit.detail()).isEqualTo(AgentExit.Kind.SUCCEEDED);

        var h = JSON.readTree(volume.resolve("results/report.json").toFile()).get("hypothesis");
        assertThat(h.get("verdict").asText()).as(h.get("conclusion").asText() + " | " + h.get("tables_looked_at")).isEqualTo("supported");
        assertThat(h.get("direction").asText()).isEqualTo("less");
        assertThat(h.get("table").asText()).isEqualTo("2026-12-01 growth OD600.xlsx#Plate 1 - OD600 + layout.csv");
        assertThat(h.get("group_column").asText()).isEqualTo("strain");
        assertThat(h.get("measure").asText()).isEqualTo("od");
        assertThat(h.get("replicate_column").asText()).isEqualTo("well");
        assertThat(h.get("unit").asText()).contains("area under each `well`'s `od` curve", "0 to 12");
        var summaries = h.get("group_summaries");
        double[] means = new double[2];
        for (int i = 0; i < 2; i++) {
            var s = summaries.get(i);
            var areas = plate.wellsOf(s.get("group").asText()).stream().mapToDouble(plate::area).toArray();
            assertThat(s.get("n").asInt()).isEqualTo(6);
            means[i] = java.util.Arrays.stream(areas).average().orElseThrow();
            assertThat(s.get("mean").asDouble()).isCloseTo(means[i], within(1e-9));
        }
        assertThat(summaries.get(0).get("group").asText()).isEqualTo("dlacZ");
        var c = h.get("comparison");
        assertThat(c.get("kind").asText()).isEqualTo("welch_t_test");
        assertThat(c.get("mean_difference").asDouble()).isCloseTo(means[0] - means[1], within(1e-9));
        assertThat(c.get("p_two_sided").asDouble()).isLessThan(0.001);
        assertThat(h.get("chart").get("points")).hasSize(12);
        assertThat(h.get("figures")).hasSize(2);
        for (var f : h.get("figures")) {
            assertThat(volume.resolve("results").resolve(f.get("png").asText())).isNotEmptyFile();
            assertThat(volume.resolve("results").resolve(f.get("svg").asText())).isNotEmptyFile();
        }

        var md = Files.readString(volume.resolve("results/report.md"));
        assertThat(md).contains("## Hypothesis", "> dlacZ grows slower than wt", "**Verdict: supported.**", "p < 0.001",
                "](figures/hypothesis-test-groups.png)", "](figures/hypothesis-test-curves.png)", "Hedges' g", "Repeated measures");
        assertThat(md.indexOf("## Hypothesis")).isLessThan(md.indexOf("## Files"));
        assertThat(run.events(SessionEvent.Log.class)).anySatisfy(l -> assertThat(l.message()).startsWith("Hypothesis: supported"));
    }

    @Test
    void withoutContextTheReportHasNoHypothesisSection() throws Exception {
        Files.writeString(volume.resolve("growth.csv"), "strain,od600\nwt,0.5\nwt,0.6\ndlacZ,0.3\ndlacZ,0.35\n");
        var run = RegisteredRun.in(worker);
        var job = new AgentJob(run.sessionId(), "dataset-volume-" + run.sessionId(), volume, null,
                worker.baseUrl().resolve("/log"), run.token(), Duration.ofMinutes(3));
        var exit = new ProcessAgentLauncher(worker.config()).launch(job).exit().get(170, TimeUnit.SECONDS);
        assertThat(exit.kind()).as(exit.detail()).isEqualTo(AgentExit.Kind.SUCCEEDED);
        JsonNode report = JSON.readTree(volume.resolve("results/report.json").toFile());
        assertThat(report.has("hypothesis")).isFalse();
        assertThat(Files.readString(volume.resolve("results/report.md"))).doesNotContain("## Hypothesis").doesNotContain("## Goals");
    }
}
