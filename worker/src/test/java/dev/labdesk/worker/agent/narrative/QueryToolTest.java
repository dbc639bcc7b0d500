package dev.labdesk.worker.agent.narrative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.agent.analysis.FileFormat;
import dev.labdesk.worker.agent.analysis.FileOutcome;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.TableProfiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model's SQL tool on real files with a real DuckDB: the tables are the profiler's typed copies,
 * nothing outside them can be read or written, the configuration cannot be changed, a runaway query is
 * cut, and the answers hold the right numbers within their bounds.
 */
class QueryToolTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir Path volume;
    @TempDir Path scratch;
    @TempDir Path elsewhere;
    private final List<TableProfile> profiles = new ArrayList<>();
    private SandboxedTables sandbox;
    private QueryTool tool;

    @BeforeEach
    void profileAndOpen() throws Exception {
        Files.createDirectories(volume.resolve("exp/plates"));
        write("exp/plates/day1.csv", "well,od600,strain,read_on\nA1,0.12,wt,03/12/2026\nA2,0.15,wt,03/12/2026\nB1,NA,mut,04/12/2026\nB2,0.31,mut,04/12/2026\nB3,0.35,mut,05/12/2026\n");
        var big = new StringBuilder("i,g\n");
        for (int i = 0; i < 50_000; i++) big.append(i).append(',').append(i % 7).append('\n');
        write("order.csv", big.toString());
        write("2024 data.csv", "x\n1\n");
        sandbox = new SandboxedTables(scratch);
        try (var profiler = new TableProfiler(scratch, sandbox)) {
            for (var path : List.of("exp/plates/day1.csv", "order.csv", "2024 data.csv"))
                profiles.addAll(((FileOutcome.Tables) profiler.profile(path, volume.resolve(path), FileFormat.CSV)).tables());
            tool = sandbox.open(Duration.ofSeconds(1), JSON);
        }
    }

    @AfterEach
    void close() throws Exception {
        if (tool != null) tool.close();
    }

    @Test
    void tablesGetPlainSqlNamesAndTheProfilesTypes() throws Exception {
        assertThat(sandbox.tables(profiles)).extracting(SandboxedTables.Table::name).containsExactly("day1", "order_table", "t_2024_data");
        assertThat(sandbox.tables(profiles).getFirst().sqlColumns()).containsExactly("well", "od600", "strain", "read_on");
        assertThat(List.of("group", "order", "date", "value", "OD 600", "Strain")).extracting(sandbox::sqlColumn)
                .containsExactly("\"group\"", "\"order\"", "date", "value", "\"OD 600\"", "\"Strain\"");
        var described = answer("DESCRIBE day1");
        assertThat(rowsOf(described)).extracting(r -> r.get(0).asText() + " " + r.get(1).asText())
                .containsExactly("well VARCHAR", "od600 DOUBLE", "strain VARCHAR", "read_on DATE");
    }

    @Test
    void aGoodAggregateReturnsTheRightNumbers() throws Exception {
        var result = answer("SELECT strain, count(*) AS n, count(od600) AS measured, round(avg(od600), 4) AS mean, min(read_on) AS first "
                + "FROM day1 GROUP BY strain ORDER BY strain");
        assertThat(result.has("error")).as(result.toString()).isFalse();
        assertThat(result.path("row_count").asLong()).isEqualTo(2);
        assertThat(result.path("truncated").asBoolean(false)).isFalse();
        var rows = rowsOf(result);
        assertThat(rows.get(0).toString()).isEqualTo("[\"mut\",3,2,0.33,\"2026-04-12\"]");
        assertThat(rows.get(1).toString()).isEqualTo("[\"wt\",2,2,0.135,\"2026-03-12\"]");
        var sum = answer("SELECT sum(i) AS s, count(*) FILTER (WHERE g = 3) AS threes FROM order_table");
        assertThat(rowsOf(sum).getFirst().get(0).asLong()).isEqualTo(49_999L * 50_000 / 2);
        assertThat(rowsOf(sum).getFirst().get(1).asLong()).isEqualTo(7_143);
        assertThat(tool.queries()).extracting(q -> q.rows()).containsExactly(2L, 1L);
    }

    @Test
    void noFileCanBeReadNotEvenTheSessionsOwn() throws Exception {
        for (var sql : List.of("SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('/etc/hostname')", "SELECT * FROM glob('/*')",
                "SELECT * FROM read_csv('" + volume.resolve("exp/plates/day1.csv") + "')", "SELECT * FROM '" + volume.resolve("order.csv") + "'",
                "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')")) {
            var error = answer(sql).path("error").asText();
            assertThat(error).as(sql).contains("disabled by configuration");
            assertThat(error).as("no server path is echoed back").doesNotContain(volume.toString());
        }
    }

    @Test
    void statementsThatWriteAttachInstallOrConfigureAreRefusedByTheParser() throws Exception {
        var out = elsewhere.resolve("out.csv");
        for (var sql : List.of("COPY day1 TO '" + out + "'", "COPY (SELECT * FROM day1) TO '" + out + "' (FORMAT csv)",
                "EXPORT DATABASE '" + elsewhere + "'", "ATTACH '" + elsewhere.resolve("x.duckdb") + "' AS x", "DETACH tables",
                "INSTALL httpfs", "LOAD httpfs", "SET threads = 8", "SET enable_external_access = true", "RESET lock_configuration",
                "PRAGMA version", "CALL pragma_version()", "CREATE TABLE t AS SELECT 1", "CREATE TEMP VIEW v AS SELECT 1",
                "INSERT INTO day1 VALUES ('Z9', 1, 'wt', DATE '2026-01-01')", "UPDATE day1 SET od600 = 0", "DELETE FROM day1",
                "DROP TABLE day1", "SELECT 1; DROP TABLE day1", "SELECT 1; SELECT 2", "USE system", "CHECKPOINT",
                "  /* a comment */ pragma  version", "EXPLAIN COPY day1 TO '" + out + "'")) {
            var error = answer(sql).path("error").asText();
            assertThat(error).as(sql).startsWith("refused:");
        }
        assertThat(out).doesNotExist();
        assertThat(elsewhere.resolve("x.duckdb")).doesNotExist();
        var settings = rowsOf(answer("SELECT current_setting('threads'), current_setting('enable_external_access'), current_setting('memory_limit')"));
        assertThat(settings.getFirst().toString()).isEqualTo("[2,false,\"488.2 MiB\"]");
        assertThat(rowsOf(answer("SELECT count(*) FROM day1")).getFirst().get(0).asLong()).isEqualTo(5);
        assertThat(tool.queries()).filteredOn(q -> q.error() != null).hasSize(24).allMatch(q -> q.rows() == null);
    }

    @Test
    void readQueriesOfEveryAllowedKindRun() throws Exception {
        for (var sql : List.of("SELECT 1", "WITH x AS (SELECT 2 AS v) SELECT v FROM x", "FROM day1 SELECT well", "VALUES (1), (2)",
                "DESCRIBE day1", "SUMMARIZE day1", "SHOW TABLES", "EXPLAIN SELECT * FROM day1", "-- why\nSELECT 3;"))
            assertThat(answer(sql).has("error")).as(sql).isFalse();
        assertThat(rowsOf(answer("SHOW TABLES"))).extracting(r -> r.get(0).asText()).containsExactly("day1", "order_table", "t_2024_data");
    }

    @Test
    void aRunawayCrossJoinIsCutByTheTimeout() throws Exception {
        long t0 = System.nanoTime();
        var result = answer("SELECT count(*) FROM order_table a, order_table b WHERE a.i + b.i = -1");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(result.path("error").asText()).startsWith("stopped: the query ran longer than 1 s");
        assertThat(millis).isBetween(900L, 4_000L);
        assertThat(tool.queries().getLast().error()).startsWith("stopped:");
        assertThat(answer("SELECT count(*) FROM order_table").has("error")).as("the database still answers").isFalse();
    }

    @Test
    void aQueryNeedingMoreThanTheMemoryLimitFailsAndTheDatabaseStillAnswers(@TempDir Path otherScratch) throws Exception {
        try (var roomy = new SandboxedTables(otherScratch).open(Duration.ofSeconds(60), JSON)) {
            var error = JSON.readTree(roomy.answer("SELECT length(list(i)) FROM range(80000000) t(i)")).path("error").asText();
            assertThat(error).startsWith("Out of Memory Error: failed to allocate").contains("488.2 MiB");
            assertThat(JSON.readTree(roomy.answer("SELECT 41 + 1 AS v")).path("rows").toString()).isEqualTo("[[42]]");
        }
    }

    @Test
    void aBadColumnIsAnsweredWithDuckDbsErrorSoTheModelCanCorrectIt() throws Exception {
        var error = answer("SELECT avg(od_600) FROM day1").path("error").asText();
        assertThat(error).startsWith("Binder Error: Referenced column \"od_600\" not found").contains("od600");
        var syntax = answer("SELEC avg(od600) FROM day1").path("error").asText();
        assertThat(syntax).isEqualTo("Parser Error: syntax error at or near \"SELEC\"");
    }

    @Test
    void largeAnswersAreCutToTheRowAndTextBoundsAndSaySo() throws Exception {
        var many = answer("SELECT * FROM order_table");
        assertThat(many.path("row_count").asLong()).isEqualTo(50_000);
        assertThat(many.path("shown").asInt()).isEqualTo(QueryTool.MAX_ROWS);
        assertThat(many.path("truncated").asBoolean()).isTrue();
        assertThat(many.path("note").asText()).contains("first 200 of 50000 rows");
        var wide = answer("SELECT i, repeat('x', 1000) AS filler FROM order_table");
        assertThat(JSON.writeValueAsString(wide).length()).isLessThanOrEqualTo(QueryTool.MAX_CHARS);
        assertThat(wide.path("shown").asInt()).isBetween(50, 199);
        assertThat(rowsOf(wide).getFirst().get(1).asText()).hasSize(QueryTool.MAX_CELL).endsWith("…");
        assertThat(tool.queries().getLast().shown()).isEqualTo(wide.path("shown").asInt());
    }

    private JsonNode answer(String sql) throws Exception {
        return JSON.readTree(tool.answer(sql));
    }

    private static List<JsonNode> rowsOf(JsonNode answer) {
        var out = new ArrayList<JsonNode>();
        answer.path("rows").forEach(out::add);
        return out;
    }

    private void write(String path, String content) throws Exception {
        Files.writeString(volume.resolve(path), content);
    }
}
