package dev.labdesk.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A researcher's whole flow over real HTTP: upload a nested folder, follow the live log, read the report. */
class EndToEndTest {
    private static final ObjectMapper JSON = Json.newMapper();

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
    void nestedFolderIsStoredVerbatimAnalysedAndReportedLive() throws Exception {
        var files = new LinkedHashMap<String, Path>();
        files.put("exp/plates/day1.csv", write("exp/plates/day1.csv", """
                well,od600,strain
                A1,0.12,wt
                A2,0.15,wt
                B1,,mut
                B2,0.31,mut
                """));
        files.put("exp/plates/day 2 (é).tsv", write("exp/plates/day 2 (é).tsv", "well\tod600\nA1\t0.20\nA2\t0.22\n"));
        files.put("exp/meta/samples.json", write("exp/meta/samples.json", """
                [{"sample":"s1","temp":37.0},{"sample":"s2","temp":30.5}]
                """));
        files.put("exp/meta/runs.jsonl", write("exp/meta/runs.jsonl", "{\"run\":1,\"ok\":true}\n{\"run\":2,\"ok\":false}\n"));
        files.put("exp/notes.txt", write("exp/notes.txt", "plate reader notes\n"));

        var body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("name", "Growth curves")
                .addFormDataPart("description", "OD600 of two strains over two days")
                .addFormDataPart("tags", "growth, plate reader")
                .addFormDataPart("parameters", "{\"temperature_c\": 37}");
        files.forEach((rel, path) -> body.addFormDataPart("files", rel,
                RequestBody.create(path.toFile(), MediaType.get("application/octet-stream"))));
        JsonNode accepted;
        try (var response = http.newCall(new Request.Builder().url(worker.baseUrl() + "/upload").post(body.build()).build()).execute()) {
            assertThat(response.code()).as(response.peekBody(4096).string()).isEqualTo(202);
            accepted = JSON.readTree(response.body().string());
        }
        var sessionId = accepted.get("session_id").asText();
        assertThat(accepted.get("volume").asText()).isEqualTo("dataset-volume-" + sessionId);
        assertThat(accepted.get("files").asInt()).isEqualTo(files.size());

        var events = follow(worker.baseUrl() + accepted.get("stream_url").asText());
        var statuses = events.stream().filter(e -> e.type.equals("status")).map(e -> e.data.get("status").asText()).toList();
        assertThat(statuses).containsExactly("queued", "running", "succeeded");
        assertThat(events.getLast().type).isEqualTo("end");
        var seqs = events.stream().filter(e -> e.id != null).map(e -> Long.parseLong(e.id)).toList();
        assertThat(seqs).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(seqs.getFirst()).isEqualTo(1L);
        assertThat(seqs.getLast()).isEqualTo((long) seqs.size());
        assertThat(events).anyMatch(e -> e.type.equals("log"));
        assertThat(events).anyMatch(e -> e.type.equals("progress"));
        var result = events.stream().filter(e -> e.type.equals("result")).findFirst().orElseThrow().data.get("summary");
        var tables = new ArrayList<String>();
        result.get("table_names").forEach(n -> tables.add(n.asText()));
        assertThat(tables).containsExactlyInAnyOrder("exp/plates/day1.csv", "exp/plates/day 2 (é).tsv",
                "exp/meta/samples.json", "exp/meta/runs.jsonl");

        // every stored file is byte-identical to its source, under the exact same relative path
        var volume = dataDir.resolve("volumes").resolve("dataset-volume-" + sessionId);
        var manifest = JSON.readTree(get("/sessions/" + sessionId + "/files"));
        var manifestByPath = new LinkedHashMap<String, String>();
        manifest.forEach(f -> manifestByPath.put(f.get("path").asText(), f.get("sha256").asText()));
        assertThat(manifestByPath.keySet()).containsExactlyElementsOf(files.keySet());
        for (var e : files.entrySet()) {
            var source = sha256(e.getValue());
            assertThat(sha256(volume.resolve(e.getKey()))).as(e.getKey()).isEqualTo(source);
            assertThat(manifestByPath.get(e.getKey())).as(e.getKey()).isEqualTo(source);
        }
        try (Stream<Path> all = Files.walk(volume)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> volume.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith("results/"))).containsExactlyInAnyOrderElementsOf(files.keySet());
        }

        var report = get("/sessions/" + sessionId + "/report");
        for (var table : tables) assertThat(report).contains(table);
        assertThat(Files.exists(volume.resolve("results/report.json"))).isTrue();
        var session = JSON.readTree(get("/sessions/" + sessionId));
        assertThat(session.get("status").asText()).isEqualTo("succeeded");
    }

    private Path write(String rel, String content) throws IOException {
        var p = dataset.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private String get(String path) throws IOException {
        try (var response = http.newCall(new Request.Builder().url(worker.baseUrl() + path).build()).execute()) {
            assertThat(response.code()).as(path).isEqualTo(200);
            return response.body().string();
        }
    }

    record Sse(String id, String type, JsonNode data) {}

    /** Reads an SSE stream to its end, the way a browser's EventSource parses it. */
    private List<Sse> follow(String url) throws IOException {
        var out = new ArrayList<Sse>();
        try (var response = http.newCall(new Request.Builder().url(url).header("Accept", "text/event-stream").build()).execute();
             var reader = new BufferedReader(new InputStreamReader(response.body().byteStream(), StandardCharsets.UTF_8))) {
            assertThat(response.header("Content-Type")).startsWith("text/event-stream");
            Map<String, String> fields = new LinkedHashMap<>();
            var data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty() || fields.containsKey("event")) {
                        var type = fields.getOrDefault("event", "message");
                        out.add(new Sse(fields.get("id"), type, data.isEmpty() ? null : JSON.readTree(data.toString())));
                        if (type.equals("end")) break;
                    }
                    fields.clear();
                    data.setLength(0);
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line.substring(5).stripLeading());
                } else if (!line.startsWith(":")) {
                    var colon = line.indexOf(':');
                    if (colon > 0) fields.put(line.substring(0, colon), line.substring(colon + 1).stripLeading());
                }
            }
        }
        return out;
    }

    private static String sha256(Path p) throws Exception {
        var md = MessageDigest.getInstance("SHA-256");
        md.update(Files.readAllBytes(p));
        return HexFormat.of().formatHex(md.digest());
    }
}
