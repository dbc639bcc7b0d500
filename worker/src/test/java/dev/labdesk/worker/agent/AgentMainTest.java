package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.AgentRun.AgentExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real agent in a real child JVM on a real folder, logging to a real worker's {@code /log}:
 * what it says arrives in order, and the report it leaves in the volume names every table.
 */
class AgentMainTest {
    private static final ObjectMapper JSON = Json.newMapper();

    @TempDir Path dataDir;
    @TempDir Path volume;
    private Worker worker;

    @BeforeEach
    void start() throws IOException {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void profilesEveryTableReportsTheUnreadableAndLogsItAllThroughTheWorker() throws Exception {
        write("exp/plates/day1.csv", "well,od600,strain\nA1,0.12,wt\nA2,0.15,wt\nB1,,mut\nB2,0.31,mut\n");
        write("exp/plates/day 2 (é).tsv", "well\tod600\nA1\t0.20\nA2\t0.22\n");
        write("exp/meta/samples.json", "[{\"sample\":\"s1\",\"temp\":37.0},{\"sample\":\"s2\",\"temp\":30.5}]");
        write("exp/meta/runs.jsonl", "{\"run\":1,\"ok\":true}\n{\"run\":2,\"ok\":false}\n{\"run\":3,\"ok\":null}\n");
        write("exp/odd [1] it's.csv", "a,b\n1,2\n");
        write("exp/notes.txt", "plate reader notes\n");
        // binary content under a .csv name (a Latin-1 file is read, see TableProfilerTest)
        Files.write(volume.resolve("exp/broken.csv"), new byte[] {'a', ',', 'b', '\n', 0, 0, 1, 2, (byte) 0xff, (byte) 0xfe, 0, '\n'});
        write("exp/meta/truncated.json", "{\"a\": 1, broken");
        var parquet = volume.resolve("exp/derived/od.parquet");
        Files.createDirectories(parquet.getParent());
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var s = db.createStatement()) {
            s.execute("COPY (SELECT range AS i, range * 0.5 AS half FROM range(10)) TO '" + parquet.toString().replace("'", "''") + "' (FORMAT parquet)");
        }

        var run = RegisteredRun.in(worker);
        var context = new ExperimentContext("Growth curves", "OD600 of two strains", "compare strains", "mut grows slower",
                "lab@example.org", List.of("growth"), Map.of("temperature_c", 37));
        var job = new AgentJob(run.sessionId(), "dataset-volume-" + run.sessionId(), volume, context,
                worker.baseUrl().resolve("/log"), run.token(), Duration.ofMinutes(2));
        var agent = new ProcessAgentLauncher(worker.config()).launch(job);
        var exit = agent.exit().get(90, TimeUnit.SECONDS);
        assertThat(exit.kind()).as(exit.detail()).isEqualTo(AgentExit.Kind.SUCCEEDED);

        var tables = List.of("exp/derived/od.parquet", "exp/meta/runs.jsonl", "exp/meta/samples.json",
                "exp/odd [1] it's.csv", "exp/plates/day 2 (é).tsv", "exp/plates/day1.csv");
        var unreadable = List.of("exp/broken.csv", "exp/meta/truncated.json");

        var events = run.events().subList(1, run.events().size()); // after the registration's status
        assertThat(events).extracting(SessionEvent::seq).isSorted().doesNotHaveDuplicates();
        var messages = events.stream().filter(e -> e instanceof SessionEvent.Log).map(e -> ((SessionEvent.Log) e).message()).toList();
        assertThat(messages.getFirst()).startsWith("Agent started for \"Growth curves\"");
        assertThat(messages).contains("Profiling exp/plates/day1.csv (4 rows, 3 columns)",
                "Profiling exp/derived/od.parquet (10 rows, 2 columns)", "Profiling exp/odd [1] it's.csv (1 row, 2 columns)", "Profiling exp/plates/day 2 (é).tsv (2 rows, 2 columns)");
        assertThat(messages).anyMatch(m -> m.startsWith("  od600 (DOUBLE): 1 null, min 0.12, max 0.31, mean 0.1933"));
        assertThat(messages).anyMatch(m -> m.startsWith("Could not read exp/broken.csv as csv: "));
        assertThat(messages).anyMatch(m -> m.startsWith("Could not read exp/meta/truncated.json as json: "));
        assertThat(messages.getLast()).startsWith("Done in ");

        var progress = events.stream().filter(e -> e instanceof SessionEvent.Progress).map(e -> (SessionEvent.Progress) e).toList();
        // each table file is 1000 of the bar: it starts at (i-1)*1000 and ends at i*1000, and the bar never goes back
        assertThat(progress).allSatisfy(p -> assertThat(p.total()).isEqualTo(8_000));
        assertThat(progress).extracting(SessionEvent.Progress::done).isSorted();
        var ends = progress.stream().filter(p -> p.step().startsWith("Profiled ")).toList();
        assertThat(ends).extracting(SessionEvent.Progress::done).containsExactly(1_000L, 2_000L, 3_000L, 4_000L, 5_000L, 6_000L, 7_000L, 8_000L);
        assertThat(ends.get(3).step()).matches("Profiled exp/\\S.* \\(4 of 8 table files\\)");
        assertThat(progress).anySatisfy(p -> assertThat(p.step()).isEqualTo("Profiling exp/plates/day1.csv (8 of 8 table files)"));
        var result = events.stream().filter(e -> e instanceof SessionEvent.Result).map(e -> ((SessionEvent.Result) e).summary()).toList();
        assertThat(result).singleElement().satisfies(s -> {
            assertThat(s.tableNames()).containsExactlyElementsOf(tables);
            assertThat(s.unreadable()).containsExactlyElementsOf(unreadable);
            assertThat(s.mode()).isEqualTo("offline");
            assertThat(s.files()).isEqualTo(9);
            assertThat(s.tables()).isEqualTo(6);
            assertThat(s.rows()).isEqualTo(4 + 2 + 2 + 3 + 1 + 10);
        });
        // the result comes after every progress event and before the closing line
        assertThat(events.indexOf(events.stream().filter(e -> e instanceof SessionEvent.Result).findFirst().orElseThrow()))
                .isGreaterThan(events.indexOf(progress.getLast()));

        var md = Files.readString(volume.resolve("results/report.md"));
        assertThat(md).startsWith("# Growth curves — dataset report").contains("**Hypothesis:** mut grows slower");
        assertThat(md).containsPattern("generated \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC \\(mode: offline\\)"); // to the second, not an instant's nanoseconds
        for (var t : tables) assertThat(md).contains("## Table `" + t + "`");
        for (var u : unreadable) assertThat(md).contains("- `" + u + "`");
        var report = JSON.readTree(volume.resolve("results/report.json").toFile());
        var profiled = new ArrayList<String>();
        report.get("tables").forEach(t -> profiled.add(t.get("path").asText()));
        assertThat(profiled).containsExactlyElementsOf(tables);
        var day1 = table(report, "exp/plates/day1.csv");
        assertThat(day1.get("rows").asLong()).isEqualTo(4);
        var od = day1.get("columns").get(1);
        assertThat(od.get("name").asText()).isEqualTo("od600");
        assertThat(od.get("nulls").asLong()).isEqualTo(1);
        assertThat(od.get("mean").asDouble()).isCloseTo(0.19333, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(day1.get("sample")).hasSize(4);
        assertThat(day1.get("sample").get(0).get("well").asText()).isEqualTo("A1");
        assertThat(table(report, "exp/meta/runs.jsonl").get("columns").get(1).get("nulls").asLong()).isEqualTo(1);
        assertThat(report.get("unreadable").get(0).get("reason").asText()).isEqualTo("not read: binary content, not delimited text");
        // DuckDB's own reason, not its JDBC wrapper's, and no server path in it
        assertThat(report.get("unreadable").get(1).get("reason").asText()).contains("Malformed JSON").doesNotContain("pending query")
                .doesNotContain(volume.toString());
        try (var left = Files.list(volume.resolve("results"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.md", "report.json", "figures");
        }
        try (var figures = Files.list(volume.resolve("results/figures"))) {
            assertThat(figures.map(p -> p.getFileName().toString())).isNotEmpty().allMatch(n -> n.matches("[a-z0-9-]+\\.(png|svg)"));
        }
    }

    @Test
    void aMissingVolumeFailsWithAReadableReason() throws Exception {
        var run = RegisteredRun.in(worker);
        var job = new AgentJob(run.sessionId(), "dataset-volume-x", volume.resolve("not-there"), null,
                worker.baseUrl().resolve("/log"), run.token(), Duration.ofMinutes(1));
        var exit = new ProcessAgentLauncher(worker.config()).launch(job).exit().get(60, TimeUnit.SECONDS);
        assertThat(exit.kind()).isEqualTo(AgentExit.Kind.FAILED);
        assertThat(exit.code()).isEqualTo(AgentMain.USAGE);
        assertThat(exit.detail()).contains("is not a directory");
    }

    @Test
    void anEmptyVolumeStillGetsAReport() throws Exception {
        var run = RegisteredRun.in(worker);
        var job = new AgentJob(run.sessionId(), "dataset-volume-x", volume, null, worker.baseUrl().resolve("/log"), run.token(),
                Duration.ofMinutes(1));
        var exit = new ProcessAgentLauncher(worker.config()).launch(job).exit().get(60, TimeUnit.SECONDS);
        assertThat(exit.kind()).as(exit.detail()).isEqualTo(AgentExit.Kind.SUCCEEDED);
        assertThat(run.events(SessionEvent.Result.class)).singleElement()
                .satisfies(r -> assertThat(r.summary().headline()).isEqualTo("0 tables with 0 rows in 0 files (0 B)"));
        assertThat(volume.resolve("results/report.md")).exists();
    }

    @Test
    void anAgentWhoseLogIsRefusedSaysSoAndExitsNonZero() throws Exception {
        write("a.csv", "x\n1\n");
        var run = RegisteredRun.in(worker);
        var job = new AgentJob(run.sessionId(), "dataset-volume-x", volume, null, worker.baseUrl().resolve("/log"), "wrong-token",
                Duration.ofMinutes(1));
        var exit = new ProcessAgentLauncher(worker.config()).launch(job).exit().get(60, TimeUnit.SECONDS);
        assertThat(exit.kind()).isEqualTo(AgentExit.Kind.FAILED);
        assertThat(exit.code()).isEqualTo(AgentMain.UNDELIVERED);
        assertThat(exit.detail()).contains("the log was not fully delivered").contains("401");
        assertThat(volume.resolve("results/report.json")).exists();
        assertThat(run.events(SessionEvent.Log.class)).isEmpty();
    }

    @Test
    void aCancelledAgentSaysSoBeforeItGoes() throws Exception {
        for (int i = 0; i < 300; i++) write("many/t" + i + ".csv", "x,y\n" + i + ",1\n");
        var run = RegisteredRun.in(worker);
        var job = new AgentJob(run.sessionId(), "dataset-volume-x", volume, null, worker.baseUrl().resolve("/log"), run.token(),
                Duration.ofMinutes(5));
        var agent = new ProcessAgentLauncher(worker.config()).launch(job);
        // once it is profiling, its log sink and its shutdown hook are in place
        long after = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean profiling = false;
        while (!profiling && System.nanoTime() < deadline) {
            var batch = worker.events().read(run.sessionId(), after, 1000, Duration.ofSeconds(1));
            for (var e : batch.events()) {
                after = e.seq();
                if (e instanceof SessionEvent.Log l && l.message().startsWith("Profiling ")) profiling = true;
            }
        }
        assertThat(profiling).as("the agent started profiling").isTrue();
        agent.cancel();
        assertThat(agent.exit().get(30, TimeUnit.SECONDS).kind()).isEqualTo(AgentExit.Kind.CANCELLED);
        var logs = run.events(SessionEvent.Log.class);
        assertThat(logs).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo("WARN");
            assertThat(l.message()).isEqualTo("Agent stopped before it finished");
        });
        assertThat(run.events(SessionEvent.Result.class)).isEmpty();
    }

    private static JsonNode table(JsonNode report, String path) {
        for (var t : report.get("tables")) if (t.get("path").asText().equals(path)) return t;
        throw new AssertionError("no table " + path);
    }

    private void write(String rel, String content) throws IOException {
        var p = volume.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }
}
