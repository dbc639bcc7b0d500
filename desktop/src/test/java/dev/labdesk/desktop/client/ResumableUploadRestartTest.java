package dev.labdesk.desktop.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.desktop.WorkerJvm;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's resumable upload against a worker process killed with {@code kill -9} mid-upload and started
 * again on the same data dir and port: the task retries, asks the new worker for the confirmed offset,
 * sends the rest, and the session opens with the file's SHA-256.
 */
class ResumableUploadRestartTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final ExperimentContext CONTEXT = new ExperimentContext("Growth", "Across a worker restart", null, null, null, List.of(), Map.of());
    @TempDir Path tmp;
    private final AtomicReference<WorkerJvm> worker = new AtomicReference<>();
    private WorkerClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) client.close();
        var w = worker.get();
        if (w != null) w.close();
    }

    @Test
    void anUploadCutByAWorkerKilledAndStartedAgainResumesAndCompletes() throws Exception {
        var data = tmp.resolve("worker");
        int port = WorkerJvm.freePort();
        worker.set(WorkerJvm.start(data, port, tmp.resolve("worker.log")));
        client = new WorkerClient(WorkerAddress.of(worker.get().baseUrl()));
        var file = tmp.resolve("scan.bin");
        var bytes = new byte[40 * 1024 * 1024];
        new Random(21).nextBytes(bytes);
        Files.write(file, bytes);

        var killed = new AtomicBoolean();
        var restarted = new CompletableFuture<Void>();
        var retries = new CopyOnWriteArrayList<String>();
        var confirmed = new CopyOnWriteArrayList<Long>();
        var task = new ResumableUploadTask(client, CONTEXT, List.of(new LocalFile(file, "scans/scan.bin", bytes.length)),
                new ResumableUploadTask.Listener() {
                    @Override public void confirmed(long done, long total) {
                        confirmed.add(done);
                        // a quarter in, the worker dies in the middle of the next chunk and comes back on the same port
                        if (done >= bytes.length / 4 && killed.compareAndSet(false, true)) Thread.ofVirtual().start(() -> {
                            try {
                                Thread.sleep(20);
                                worker.get().killHard();
                                worker.set(WorkerJvm.start(data, port, tmp.resolve("worker.log")));
                                restarted.complete(null);
                            } catch (Throwable e) {
                                restarted.completeExceptionally(e);
                            }
                        });
                    }
                    @Override public void retrying(int attempt, Duration delay, String why) {
                        retries.add(why);
                    }
                }, 2 * 1024 * 1024);

        var accepted = task.run();

        restarted.get();
        assertThat(retries).as("the kill cut the upload").isNotEmpty();
        assertThat(confirmed).isSorted().last().isEqualTo((long) bytes.length);
        var http = HttpClient.newHttpClient();
        var files = JSON.readTree(http.send(HttpRequest.newBuilder(worker.get().baseUrl().resolve("/sessions/" + accepted.sessionId() + "/files")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.get("path").asText()).isEqualTo("scans/scan.bin");
            assertThat(f.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        });
        assertThat(Files.readAllBytes(data.resolve("volumes/dataset-volume-" + accepted.sessionId() + "/scans/scan.bin"))).isEqualTo(bytes);
    }
}
