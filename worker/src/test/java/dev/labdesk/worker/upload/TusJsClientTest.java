package dev.labdesk.worker.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.ResumableUpload;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.NodeClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.labdesk.worker.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tus client nobody here wrote: tus-js-client 4.x under Node (src/test/node, {@code npm ci}), with
 * its default retry delays (0, 1, 3, 5 s). Without node it is skipped, except under CI, where it fails.
 */
class TusJsClientTest {
    private static final Path CLIENT_DIR = NodeClients.DIR;
    private static final ObjectMapper JSON = Json.newMapper();
    private final ExperimentContext context = new ExperimentContext("Plates", "tus-js-client", null, null, null, List.of(), null);
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir Path dataDir;
    @TempDir Path scratch;
    private Worker worker;

    @BeforeEach
    void start() throws Exception {
        requireNode();
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        if (worker != null) worker.close();
    }

    @Test
    void tusJsClientResumesThroughAStalledConnectionWithinItsDefaultRetries() throws Exception {
        var bytes = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        var plan = plan("plate.bin", bytes);
        // the worker would wait 30 s for the stalled body; the client gives up on its connection after 1.5 s
        try (var proxy = new StallingProxy(worker.port(), 512 * 1024, Duration.ofMillis(1500))) {
            var result = upload("http://127.0.0.1:" + proxy.port() + "/tus", plan, "plate.bin", bytes);
            assertThat(proxy.stalled()).as("the connection stalled mid-PATCH").isTrue();
            assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.path("errors")).as("one dropped connection, then a resume that took the file over").hasSize(1);
            assertThat(result.path("ms").asLong()).as("well inside the default retries' 9 s").isLessThan(9_000);
        }
        var done = post("/uploads/" + plan.get("upload_id").asText() + "/complete");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(202);
        var volume = JSON.readTree(done.body()).get("volume").asText();
        try (var files = Files.walk(dataDir.resolve("volumes").resolve(volume))) {
            var stored = files.filter(p -> p.getFileName().toString().equals("plate.bin")).findFirst().orElseThrow();
            assertThat(Files.readAllBytes(stored)).as("the bytes, whole and in order").isEqualTo(bytes);
        }
    }

    @Test
    void tusCreationOfAFileThatAlreadyHasBytesLetsTheStockClientSendItFromTheStart() throws Exception {
        var bytes = new byte[200_000];
        new Random(8).nextBytes(bytes);
        var plan = plan("half.bin", bytes);
        var url = plan.get("files").get(0).get("url").asText();
        var first = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + url)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOf(bytes, 50_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(204);

        var result = upload(worker.baseUrl() + "/tus", plan, "half.bin", bytes);
        assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
        assertThat(result.path("errors")).as("no 409 for its PATCH from 0").isEmpty();
        var done = post("/uploads/" + plan.get("upload_id").asText() + "/complete");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(202);
    }

    @Test
    void aSingleWorkersUnknownTusFileSays404WithoutBlamingOtherInstances() throws Exception {
        var head = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/tus/f-unknown")).header("Tus-Resumable", "1.0.0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[1])).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(404);
        var detail = JSON.readTree(head.body()).get("detail").asText();
        assertThat(detail).contains("no pending file f-unknown", "POST /uploads").doesNotContainIgnoringCase("instance");
    }

    private JsonNode upload(String endpoint, JsonNode plan, String path, byte[] bytes) throws Exception {
        var file = Files.write(scratch.resolve(path), bytes);
        var process = new ProcessBuilder("node", "tus-upload.js", endpoint, plan.get("upload_id").asText(), path, file.toString())
                .directory(CLIENT_DIR.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node client finished").isTrue();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(output).isZero();
        return JSON.readTree(output.lines().reduce((a, b) -> b).orElseThrow());
    }

    private JsonNode plan(String path, byte[] bytes) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/uploads")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(new ResumableUpload.Request(context,
                        List.of(new ResumableUpload.PlannedFile(path, bytes.length, sha256(bytes))))))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void requireNode() {
        NodeClients.require("tus-js-client");
    }
}
