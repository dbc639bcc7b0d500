package dev.labdesk.worker.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.ResumableUpload;
import dev.labdesk.worker.Limits;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;
import dev.labdesk.worker.testing.RawMultipart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** A real worker on 127.0.0.1 with two principals, ada and bob, each with their own key, and the given limits. */
final class TwoPrincipalWorker implements AutoCloseable {
    static final String ADA = "ada-key-0123456789abcdef";
    static final String BOB = "bob-key-0123456789abcdef";
    static final ObjectMapper JSON = Json.newMapper();
    static final ExperimentContext CONTEXT = new ExperimentContext("Big scans", "Microscope stacks", null, null, null, List.of("imaging"), null);

    final Path dataDir;
    final Worker worker;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Its own client: the uploads' connections and threads must not be what slows it down. */
    private final HttpClient healthClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TwoPrincipalWorker(Path dataDir, Limits limits) throws IOException {
        this.dataDir = dataDir;
        var auth = AuthSettings.keys(List.of(ApiKey.plain("ada", ADA, false), ApiKey.plain("bob", BOB, false)));
        this.worker = new Worker(WorkerConfig.local(dataDir).withAuth(auth).withLimits(limits)).start();
    }

    int port() {
        return worker.port();
    }

    HttpRequest.Builder request(String key, String path) {
        return HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)).header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String key, String path) throws IOException, InterruptedException {
        return send(request(key, path).GET().build());
    }

    HttpResponse<String> postJson(String key, String path, byte[] body) throws IOException, InterruptedException {
        return send(request(key, path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<String> plan(String key, List<ResumableUpload.PlannedFile> files) throws IOException, InterruptedException {
        return postJson(key, "/uploads", JSON.writeValueAsBytes(new ResumableUpload.Request(CONTEXT, files)));
    }

    HttpResponse<String> complete(String key, String uploadId) throws IOException, InterruptedException {
        return postJson(key, "/uploads/" + uploadId + "/complete", new byte[0]);
    }

    HttpResponse<String> delete(String key, String path) throws IOException, InterruptedException {
        return send(request(key, path).DELETE().build());
    }

    HttpResponse<String> patch(String key, String url, long offset, byte[] bytes) throws IOException, InterruptedException {
        return send(request(key, url).header("Tus-Resumable", "1.0.0").header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    HttpResponse<String> head(String key, String url) throws IOException, InterruptedException {
        return send(request(key, url).header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    long offset(String key, String url) throws IOException, InterruptedException {
        return Long.parseLong(head(key, url).headers().firstValue("Upload-Offset").orElseThrow());
    }

    HttpResponse<String> upload(String key, byte[] multipart) throws IOException, InterruptedException {
        return send(request(key, "/upload").header("Content-Type", RawMultipart.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(multipart)).build());
    }

    static RawMultipart form() {
        return new RawMultipart().field("name", "Growth curves").field("description", "OD600 over two days");
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** How long an anonymous /health takes right now. */
    Duration healthTime() throws IOException, InterruptedException {
        long start = System.nanoTime();
        var response = healthClient.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/health")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new AssertionError("/health answered " + response.statusCode());
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The staging folders: of bodies being read ({@code .staging}) and of pending resumable uploads ({@code .resumable}). */
    private List<Path> stagingFolders() {
        return List.of(dataDir.resolve("volumes/.staging"), dataDir.resolve("volumes/.resumable"));
    }

    /** Everything under the staging folders: uploads neither committed nor removed. */
    List<Path> staging() throws IOException {
        var out = new java.util.ArrayList<Path>();
        for (var staging : stagingFolders()) {
            if (!Files.isDirectory(staging)) continue;
            try (Stream<Path> all = Files.walk(staging)) {
                all.filter(p -> !p.equals(staging)).forEach(out::add);
            }
        }
        return out;
    }

    /** Uploads with a staging folder: pending plans and bodies being read. */
    long stagedUploads() throws IOException {
        long n = 0;
        for (var staging : stagingFolders()) {
            if (!Files.isDirectory(staging)) continue;
            try (Stream<Path> top = Files.list(staging)) {
                n += top.count();
            }
        }
        return n;
    }

    @Override
    public void close() {
        worker.close();
    }
}
