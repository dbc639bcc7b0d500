package dev.labdesk.worker.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.ResumableUpload;
import dev.labdesk.worker.testing.HoldingProxy;
import dev.labdesk.worker.testing.NodeClients;
import dev.labdesk.worker.testing.WorkerProcess;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.labdesk.worker.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stock tus client (tus-js-client under Node, the whole file in one PATCH as it sends by default)
 * uploading to a worker process that is killed with {@code kill -9} mid-body and started again on the
 * same data dir and port: the same client instance asks HEAD for the offset, sends only the rest, and
 * the session opens with the file's SHA-256.
 */
class TusResumeAcrossRestartTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final int SIZE = 48 * 1024 * 1024;
    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void node() {
        NodeClients.require("tus-js-client");
    }

    @AfterEach
    void stop() throws Exception {
        for (var c : open.reversed()) c.close();
    }

    @Test
    void tusJsClientResumesFromTheConfirmedOffsetAfterTheWorkerIsKilledAndStartedAgain() throws Exception {
        var data = dir.resolve("data");
        int port = WorkerProcess.freePort();
        var first = WorkerProcess.start(data, port, Map.of(), dir.resolve("first.log"));
        open.add(first);
        var bytes = new byte[SIZE];
        new Random(11).nextBytes(bytes);
        var file = Files.write(dir.resolve("stack.bin"), bytes);
        var plan = plan(first.baseUrl(), "stacks/stack.bin", bytes);
        var sessionId = plan.get("session_id").asText();

        var proxy = new HoldingProxy(port);
        open.add(proxy);
        proxy.holdAt(SIZE / 2);
        var client = new ProcessBuilder("node", "tus-resume.js", "http://127.0.0.1:" + proxy.port() + "/tus",
                plan.get("upload_id").asText(), "stacks/stack.bin", file.toString())
                .directory(NodeClients.DIR.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("client.log").toFile()).start();
        open.add(client::destroyForcibly);

        assertThat(proxy.awaitHeld(Duration.ofSeconds(60))).as("half the file reached the worker").isTrue();
        Thread.sleep(1_000); // what the worker confirms of a body that stops: within its 500 ms, forced to disk
        first.killHard();
        proxy.release();
        var second = WorkerProcess.start(data, port, Map.of(), dir.resolve("second.log"));
        open.add(second);

        assertThat(client.waitFor(120, TimeUnit.SECONDS)).as("the client finished").isTrue();
        var output = Files.readString(dir.resolve("client.log"), StandardCharsets.UTF_8).strip();
        var result = JSON.readTree(output.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(result.path("ok").asBoolean()).as(output).isTrue();
        assertThat(result.path("errors")).as("the kill cut the PATCH").isNotEmpty();

        // after the cut: HEAD answers the confirmed offset, and the next PATCH starts there
        var requests = new ArrayList<JsonNode>();
        result.get("requests").forEach(requests::add);
        int head = -1;
        for (int i = 0; i < requests.size(); i++)
            if (requests.get(i).get("method").asText().equals("HEAD") && requests.get(i).get("status").asInt() == 200) head = i;
        assertThat(head).as("a HEAD after the restart: %s", requests).isPositive();
        long resumedAt = requests.get(head).get("offset").asLong();
        assertThat(resumedAt).as("the bytes confirmed before the kill").isBetween(1L, (long) SIZE / 2);
        var patch = requests.get(head + 1);
        assertThat(patch.get("method").asText()).isEqualTo("PATCH");
        assertThat(patch.get("sent").asLong()).isEqualTo(resumedAt);
        assertThat(patch.get("offset").asLong()).isEqualTo(SIZE);
        assertThat(proxy.sent()).as("bytes sent in all, both workers").isGreaterThan(SIZE).isLessThan(2L * SIZE);

        var done = http.send(HttpRequest.newBuilder(second.baseUrl().resolve("/uploads/" + plan.get("upload_id").asText() + "/complete"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(202);
        assertThat(JSON.readTree(done.body()).get("session_id").asText()).isEqualTo(sessionId);
        var files = JSON.readTree(http.send(HttpRequest.newBuilder(second.baseUrl().resolve("/sessions/" + sessionId + "/files")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.get("path").asText()).isEqualTo("stacks/stack.bin");
            assertThat(f.get("sha256").asText()).isEqualTo(sha256(bytes));
        });
        assertThat(Files.size(data.resolve("volumes/dataset-volume-" + sessionId + "/stacks/stack.bin"))).isEqualTo(SIZE);
    }

    private JsonNode plan(URI base, String path, byte[] bytes) throws Exception {
        var request = new ResumableUpload.Request(new ExperimentContext("Stacks", "Across a kill -9", null, null, null, List.of(), null),
                List.of(new ResumableUpload.PlannedFile(path, bytes.length, sha256(bytes))));
        var r = http.send(HttpRequest.newBuilder(base.resolve("/uploads")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }
}
