package dev.labdesk.worker.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Redis, a pending resumable upload stays with the instance that planned it and ends with it: an
 * instance started again on the same data dir answers 404 with the reason, and removes the staged bytes
 * no record knows, so they do not pile up.
 */
class PendingUploadsWithRedisTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    @TempDir Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Worker worker;

    @AfterEach
    void stop() {
        if (worker != null) worker.close();
    }

    @Test
    void anInstanceStartedAgainHasNoPendingUploadsAndRemovesTheirStagedBytes() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir).withRedis(redis.url())).start();
        var created = JSON.readTree(send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/uploads")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"context": {"name": "chunks", "description": "with Redis"}, "files": [{"path": "a.bin", "size": 1000}]}"""))).body());
        var url = created.at("/files/0/url").asText();
        var patch = send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + url)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[400])));
        assertThat(patch.headers().firstValue("Upload-Offset")).contains("400");
        var staged = dataDir.resolve("volumes/.resumable/" + created.get("session_id").asText());
        assertThat(staged.resolve("a.bin")).hasSize(400);
        worker.close();

        worker = new Worker(WorkerConfig.local(dataDir).withRedis(redis.url())).start();
        var head = send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + url)).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(404);
        var status = send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/uploads/" + created.get("upload_id").asText())));
        assertThat(status.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(status.body()).get("detail").asText()).contains("on this worker instance", "POST /uploads");
        assertThat(Files.exists(staged)).as("staged bytes of an upload no instance holds").isFalse();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
