package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.ArrowFixtures;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad input, all in one upload with one good table, through the real worker and the
 * real agent: every bad file is listed with a reason a researcher can read (no server path in it),
 * the good table is profiled, and the session succeeds.
 */
class BadInputTest {
    private static final ObjectMapper JSON = Json.newMapper();
    static final int WIDE_COLUMNS = 10_000, WIDE_ROWS = 200, DEEP = 200_000;

    @TempDir Path dataDir;
    @TempDir Path dataset;
    private Worker worker;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();

    @BeforeEach
    void start() throws IOException {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void everyBadFileIsListedWithAReasonAndTheGoodTableIsProfiled() throws Exception {
        var random = new Random(42);
        var files = new LinkedHashMap<String, byte[]>();
        files.put("good.csv", "well,od600,strain\nA1,0.12,wt\nA2,0.15,wt\nB1,,mut\nB2,0.31,mut\n".getBytes(StandardCharsets.UTF_8));
        files.put("bad/empty.csv", new byte[0]);
        files.put("bad/empty.tsv", new byte[0]);
        files.put("bad/empty.json", new byte[0]);
        files.put("bad/empty.jsonl", new byte[0]);
        files.put("bad/empty.parquet", new byte[0]);
        files.put("bad/empty.xlsx", new byte[0]);
        files.put("bad/empty.arrow", new byte[0]);
        files.put("bad/header-only.csv", "well,od600,strain\n".getBytes(StandardCharsets.UTF_8));
        files.put("bad/junk.csv", junk(random, 64 * 1024));
        files.put("bad/junk.tsv", junk(random, 4096));
        files.put("bad/junk.parquet", junk(random, 4096));
        files.put("bad/junk.json", junk(random, 4096));
        files.put("bad/junk.jsonl", junk(random, 4096));
        files.put("bad/junk.xlsx", junk(random, 4096));
        files.put("bad/junk.xls", junk(random, 4096));
        files.put("bad/junk.arrow", junk(random, 4096));
        files.put("bad/junk.feather", junk(random, 4096));
        files.put("bad/old.feather", "FEA1\0\0\0\0old columns\0\0\0\0FEA1".getBytes(StandardCharsets.US_ASCII));
        files.put("bad/deep.json", ("[".repeat(DEEP) + "]".repeat(DEEP)).getBytes(StandardCharsets.US_ASCII));
        files.put("bad/deep.jsonl", ("{\"a\":" + "[".repeat(DEEP) + "]".repeat(DEEP) + "}\n").getBytes(StandardCharsets.US_ASCII));
        files.put("wide.csv", wide());
        var arrow = dataset.resolve("plates.arrow");
        ArrowFixtures.write(arrow, false);
        files.put("plates.arrow", Files.readAllBytes(arrow));

        var body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("name", "Everything at once")
                .addFormDataPart("description", "Good and bad files together");
        files.forEach((rel, bytes) -> body.addFormDataPart("files", rel, RequestBody.create(bytes, MediaType.get("application/octet-stream"))));
        String id;
        try (var response = http.newCall(new Request.Builder().url(worker.baseUrl() + "/upload").post(body.build()).build()).execute()) {
            assertThat(response.code()).as(response.peekBody(4096).string()).isEqualTo(202);
            id = JSON.readTree(response.body().string()).get("session_id").asText();
        }
        long started = System.nanoTime();
        var status = "";
        while (!status.equals("succeeded") && !status.equals("failed") && !status.equals("cancelled")) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the run ends").isLessThan(Duration.ofMinutes(8));
            Thread.sleep(500);
            status = JSON.readTree(get("/sessions/" + id)).get("status").asText();
        }
        var took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(status).isEqualTo("succeeded");

        var report = JSON.readTree(dataDir.resolve("volumes/dataset-volume-" + id + "/results/report.json").toFile());
        var reasons = new LinkedHashMap<String, String>();
        report.get("unreadable").forEach(u -> reasons.put(u.get("path").asText(), u.get("reason").asText()));
        var tables = new LinkedHashMap<String, JsonNode>();
        report.get("tables").forEach(t -> tables.put(t.get("path").asText(), t));

        assertThat(tables.keySet()).contains("good.csv", "wide.csv", "plates.arrow");
        assertThat(tables.get("good.csv").get("rows").asLong()).isEqualTo(4);
        assertThat(tables.get("plates.arrow").get("rows").asLong()).isEqualTo(ArrowFixtures.BATCHES * ArrowFixtures.PER_BATCH);
        var wide = tables.get("wide.csv");
        assertThat(wide.get("rows").asLong()).isEqualTo(WIDE_ROWS);
        assertThat(wide.get("columns")).hasSize(WIDE_COLUMNS);
        assertThat(wide.get("notes").toString()).contains(WIDE_COLUMNS + " columns");

        // the header-only CSV is a table of no rows, and says so; every other bad file is listed as not read
        var headerOnly = tables.get("bad/header-only.csv");
        if (headerOnly != null) {
            assertThat(headerOnly.get("rows").asLong()).isZero();
            assertThat(headerOnly.get("columns")).hasSize(3);
        } else assertThat(reasons).containsKey("bad/header-only.csv");
        var bad = files.keySet().stream().filter(p -> p.startsWith("bad/") && !p.equals("bad/header-only.csv")).toList();
        assertThat(reasons.keySet()).containsAll(bad);
        var volume = dataDir.resolve("volumes").toString();
        reasons.forEach((path, reason) -> assertThat(reason).as(path).isNotBlank().doesNotContain(volume)
                .doesNotContain(dataDir.toString()).doesNotContain("/tmp/").doesNotContain("labdesk-agent-"));
        assertThat(reasons.get("bad/empty.csv")).isEqualTo("not read: the file is empty");
        assertThat(reasons.get("bad/empty.arrow")).isEqualTo("not read: the file is empty");
        assertThat(reasons.get("bad/old.feather")).isEqualTo("not read: Feather v1 (old format); re-save with pyarrow as Feather v2");
        assertThat(reasons.get("bad/deep.json")).startsWith("not read: nested deeper than");
        assertThat(reasons.get("bad/junk.csv")).isEqualTo("not read: binary content, not delimited text");
        var markdown = get("/sessions/" + id + "/report");
        for (var path : bad) assertThat(markdown).as(path).contains(path);
        assertThat(reasons.get("bad/empty.json")).isEqualTo("not read: the file is empty");
        var progress = worker.events().read(id, 0, 100_000, Duration.ZERO).events().stream()
                .filter(e -> e instanceof dev.labdesk.model.SessionEvent.Progress).map(e -> (dev.labdesk.model.SessionEvent.Progress) e).toList();
        for (var file : files.keySet()) {
            var start = progress.stream().filter(p -> p.step().startsWith("Profiling " + file + " (")).findFirst().orElseThrow();
            var end = progress.stream().filter(p -> p.step().startsWith("Profiled " + file + " (")).findFirst().orElseThrow();
            System.out.printf("  %-22s %6.1f s%n", file, Duration.between(start.time(), end.time()).toMillis() / 1e3);
        }
        System.out.printf("bad input: %d files (a %,d-column CSV) analysed in %.1f s%n", files.size(), WIDE_COLUMNS, took.toMillis() / 1e3);
    }

    private static byte[] junk(Random random, int n) {
        var b = new byte[n];
        random.nextBytes(b);
        b[0] = 0; // binary from its first byte, as a real binary file is
        return b;
    }

    /** WIDE_COLUMNS columns of numbers and text, WIDE_ROWS rows. */
    private static byte[] wide() {
        var sb = new StringBuilder();
        for (int c = 0; c < WIDE_COLUMNS; c++) sb.append(c == 0 ? "" : ",").append("c").append(c);
        sb.append('\n');
        for (int r = 0; r < WIDE_ROWS; r++) {
            for (int c = 0; c < WIDE_COLUMNS; c++) sb.append(c == 0 ? "" : ",").append(c % 3 == 0 ? "x" + (r % 7) : String.valueOf(r * c % 1000));
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private String get(String path) throws IOException {
        try (var response = http.newCall(new Request.Builder().url(worker.baseUrl() + path).build()).execute()) {
            assertThat(response.code()).as(path).isEqualTo(200);
            return response.body().string();
        }
    }
}
