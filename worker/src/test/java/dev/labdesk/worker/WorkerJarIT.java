package dev.labdesk.worker;

import dev.labdesk.worker.testing.RawMultipart;
import dev.labdesk.worker.testing.SseReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped artifact, as a user runs it: {@code java -jar worker/target/labdesk-worker.jar}
 * started with a relative jar path, configured by environment, taking an upload and running the
 * agent to a report. Runs in {@code verify}, after the jar is built.
 */
class WorkerJarIT {
    @TempDir Path dataDir;

    @Test
    void theJarServesAnUploadThroughToTheReport() throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var java = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(java, "-jar", "target/labdesk-worker.jar").redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("worker.log").toFile());
        builder.environment().put("LABDESK_PORT", Integer.toString(port));
        builder.environment().put("LABDESK_DATA_DIR", dataDir.resolve("data").toString());
        var process = builder.start();
        try {
            var base = "http://127.0.0.1:" + port;
            var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            awaitHealthy(http, base, process);
            // nothing configured: the jar made its own key, as a new user finds it
            var bearer = "Bearer " + Files.readString(dataDir.resolve("data").resolve("token")).strip();
            var refused = http.send(HttpRequest.newBuilder(URI.create(base + "/sessions")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(Files.readString(dataDir.resolve("worker.log"))).contains(base + "/?token=");
            var body = new RawMultipart().field("name", "Jar smoke").field("description", "the shipped jar")
                    .file("runs/day 1.csv", "t,od\n0,0.1\n1,0.2\n").build();
            var upload = http.send(HttpRequest.newBuilder(URI.create(base + "/upload")).header("Authorization", bearer).header("Content-Type", RawMultipart.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
            var id = upload.body().replaceAll(".*\"session_id\":\"([^\"]+)\".*", "$1");
            var statuses = new ArrayList<String>();
            var stream = http.send(HttpRequest.newBuilder(URI.create(base + "/sessions/" + id + "/events")).header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (var sse = new SseReader(stream.body())) {
                SseReader.Frame f;
                while ((f = sse.next()) != null && !f.event().equals("end"))
                    if (f.event().equals("status")) statuses.add(f.data().replaceAll(".*\"status\":\"([a-z]+)\".*", "$1"));
            }
            assertThat(statuses).as(Files.readString(dataDir.resolve("worker.log"))).containsExactly("queued", "running", "succeeded");
            var report = http.send(HttpRequest.newBuilder(URI.create(base + "/sessions/" + id + "/report")).header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(report.body()).contains("runs/day 1.csv");
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    private static void awaitHealthy(HttpClient http, String base, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("worker process exited early").isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("worker did not answer /health within 60 s");
    }
}
