package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.AgentRun.AgentExit;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The real agent on a volume of awkward files: each is profiled or listed with a reason, the
 * session succeeds, and the report carries the profile's numbers (report.json) and shows them (report.md).
 */
class AgentProfileTest {
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
    void everyKindOfBadInputIsListedAndTheSessionSucceeds() throws Exception {
        write("growth.csv", """
                strain,time_h,od600,date
                wt,0,0.10,Apr 1 2000
                wt,1,0.20,Apr 2 2000
                wt,2,NA,Apr 3 2000
                dlacZ,0,0.10,Apr 1 2000
                dlacZ,1,0.15,Apr 2 2000
                dlacZ,2,0.18,Apr 3 2000
                """);
        write("ragged.csv", "x,y\n1,2\n3\n4,5,6\n7,8\n");
        Files.write(volume.resolve("latin.csv"), "name,city\nJosé,Köln\n".getBytes("windows-1252"));
        write("empty.csv", "");
        write("header.csv", "a,b,c\n");
        Files.write(volume.resolve("junk.csv"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 0, 0});
        write("map.geojson.json", "{\"type\":\"FeatureCollection\",\"features\":[]}");
        write("deep.json", "[".repeat(200_000) + "]".repeat(200_000));
        Files.write(volume.resolve("table.arrow"), new byte[] {'A', 'R', 'R', 'O', 'W', '1', 0, 0});
        var wide = new StringBuilder();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 10_000; c++) wide.append(c == 0 ? "" : ",").append(r == 0 ? "c" + c : String.valueOf(r + c));
            wide.append('\n');
        }
        write("wide.csv", wide.toString());
        try (var wb = new XSSFWorkbook(); var out = Files.newOutputStream(volume.resolve("plate.xlsx"))) {
            var sheet = wb.createSheet("Results");
            sheet.createRow(0).createCell(0).setCellValue("od");
            for (int i = 1; i <= 4; i++) sheet.createRow(i).createCell(0).setCellValue(i / 10.0);
            wb.write(out);
        }

        var run = RegisteredRun.in(worker);
        var job = new AgentJob(run.sessionId(), "dataset-volume-" + run.sessionId(), volume, null,
                worker.baseUrl().resolve("/log"), run.token(), Duration.ofMinutes(3));
        var exit = new ProcessAgentLauncher(worker.config()).launch(job).exit().get(170, TimeUnit.SECONDS);
        assertThat(exit.kind()).as(exit.detail()).isEqualTo(AgentExit.Kind.SUCCEEDED);

        var summary = run.events(SessionEvent.Result.class).getFirst().summary();
        assertThat(summary.tableNames()).containsExactly("growth.csv", "header.csv", "latin.csv", "plate.xlsx#Results", "ragged.csv", "wide.csv");
        assertThat(summary.unreadable()).containsExactly("deep.json", "empty.csv", "junk.csv", "table.arrow");

        var report = JSON.readTree(volume.resolve("results/report.json").toFile());
        var unreadable = new ArrayList<String>();
        report.get("unreadable").forEach(u -> unreadable.add(u.get("path").asText() + ": " + u.get("reason").asText()));
        assertThat(unreadable).allSatisfy(u -> assertThat(u).contains("not read: ").doesNotContain(volume.toString()));
        assertThat(report.get("documents")).singleElement().satisfies(d -> {
            assertThat(d.get("kind").asText()).isEqualTo("GeoJSON");
            assertThat(d.get("keys")).extracting(JsonNode::asText).containsExactly("type", "features");
        });
        var growth = table(report, "growth.csv");
        var od = column(growth, "od600");
        assertThat(od.get("type").asText()).isEqualTo("DOUBLE");
        assertThat(od.get("nulls").asLong()).isEqualTo(1);
        assertThat(od.get("missing_tokens").get("NA").asLong()).isEqualTo(1);
        assertThat(od.get("mean").asDouble()).isCloseTo((0.10 + 0.20 + 0.10 + 0.15 + 0.18) / 5, within(1e-12));
        assertThat(od.get("median").asDouble()).isCloseTo(0.15, within(1e-12));
        var counts = od.get("histogram").get("counts");
        long total = 0;
        for (var c : counts) total += c.asLong();
        assertThat(total).isEqualTo(5);
        assertThat(column(growth, "date").get("max").asText()).isEqualTo("2000-04-03");
        assertThat(column(growth, "strain").get("top_values").get(0).get("count").asLong()).isEqualTo(3);
        assertThat(growth.get("correlations")).isNotEmpty();
        assertThat(table(report, "ragged.csv").get("notes").get(0).asText()).contains("lines 3, 4");
        assertThat(table(report, "wide.csv").get("columns")).hasSize(10_000);

        var md = Files.readString(volume.resolve("results/report.md"));
        assertThat(md).contains("## Table `growth.csv`", "**Numeric columns**", "**Date and time columns**", "**Alerts**",
                "## Documents (JSON that is not a table)", "- `table.arrow` (arrow): not read: ", "`NA` ×1");
        assertThat(md).doesNotContain("approx.").doesNotContain(volume.toString());
    }

    private static JsonNode table(JsonNode report, String path) {
        for (var t : report.get("tables")) if (t.get("path").asText().equals(path)) return t;
        throw new AssertionError("no table " + path);
    }

    private static JsonNode column(JsonNode table, String name) {
        for (var c : table.get("columns")) if (c.get("name").asText().equals(name)) return c;
        throw new AssertionError("no column " + name);
    }

    private void write(String rel, String content) throws IOException {
        var p = volume.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }
}
