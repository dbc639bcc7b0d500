package dev.labdesk.worker.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.RegisteredRun;
import dev.labdesk.worker.testing.RawMultipart;
import dev.labdesk.worker.testing.SseReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real worker instances (own ports, own data directories) on one real redis-server: whatever
 * one instance accepted, the other serves.
 */
class TwoInstancesTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    @TempDir Path dirA;
    @TempDir Path dirB;
    private Worker a;
    private Worker b;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startWorkers() throws Exception {
        a = new Worker(WorkerConfig.local(dirA).withRedis(redis.url())).start();
        b = new Worker(WorkerConfig.local(dirB).withRedis(redis.url())).start();
    }

    @AfterEach
    void stopWorkers() {
        a.close();
        b.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(Worker w, String path) throws Exception {
        var r = send(HttpRequest.newBuilder(URI.create(w.baseUrl() + path)));
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private SseReader subscribe(Worker w, String sessionId, Long lastEventId) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(w.baseUrl() + "/sessions/" + sessionId + "/events"));
        if (lastEventId != null) request.header("Last-Event-ID", Long.toString(lastEventId));
        var r = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        return new SseReader(r.body());
    }

    @Test
    void healthOfBothInstancesNamesTheSharedRedis() throws Exception {
        for (var w : List.of(a, b)) {
            var health = getJson(w, "/health");
            assertThat(health.at("/dependencies/redis/status").asText()).isEqualTo("ok");
            assertThat(health.at("/dependencies/redis/detail").asText()).contains("127.0.0.1:" + redis.port());
        }
    }

    @Test
    void aSessionUploadedThroughAIsStreamedListedAndDescribedByB() throws Exception {
        var body = new RawMultipart()
                .field("name", "Two instances")
                .field("description", "uploaded on A, followed on B")
                .file("plates/day1.csv", "well,od600\nA1,0.12\nA2,0.15\nB1,0.31\n")
                .build();
        var accepted = send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/upload"))
                .header("Content-Type", RawMultipart.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var sessionId = JSON.readTree(accepted.body()).get("session_id").asText();

        var frames = new ArrayList<SseReader.Frame>();
        try (var sse = subscribe(b, sessionId, null)) {
            SseReader.Frame f;
            while ((f = sse.next()) != null) {
                frames.add(f);
                if (f.event().equals("end")) break;
            }
        }
        assertThat(frames.getLast().event()).isEqualTo("end");
        var statuses = frames.stream().filter(f -> f.event().equals("status")).map(f -> status(f.data())).toList();
        assertThat(statuses).containsExactly("queued", "running", "succeeded");
        var seqs = frames.stream().filter(f -> f.id() != null).map(f -> Long.parseLong(f.id())).toList();
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
        assertThat(frames).anyMatch(f -> f.event().equals("log"));

        assertThat(getJson(b, "/sessions/" + sessionId).get("status").asText()).isEqualTo("succeeded");
        assertThat(getJson(b, "/sessions/" + sessionId + "/files").get(0).get("path").asText()).isEqualTo("plates/day1.csv");
        var listed = new ArrayList<String>();
        getJson(b, "/sessions").forEach(s -> listed.add(s.get("session_id").asText()));
        assertThat(listed).contains(sessionId);
    }

    private static String status(String json) {
        try {
            return JSON.readTree(json).get("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBatchResentToBWithTheKeyItHadOnAIsNotLoggedTwice() throws Exception {
        var run = RegisteredRun.in(a);
        for (var w : List.of(a, b)) {
            var r = send(HttpRequest.newBuilder(URI.create(w.baseUrl() + "/log"))
                    .header("Authorization", "Bearer " + run.token()).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "lost-answer-1")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"message\":\"once\"}]")));
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(r.headers().firstValue("Idempotent-Replayed").isPresent()).isEqualTo(w == b);
        }
        assertThat(b.events().read(run.sessionId(), 0, 100, java.time.Duration.ZERO).events())
                .filteredOn(e -> e instanceof SessionEvent.Log).hasSize(1);
        var reused = send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/log"))
                .header("Authorization", "Bearer " + run.token()).header("Content-Type", "application/json")
                .header("Idempotency-Key", "lost-answer-1")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"message\":\"another\"}]")));
        assertThat(reused.statusCode()).as("the same key for another body, through Redis").isEqualTo(422);
        assertThat(reused.body()).contains("lost-answer-1");
        assertThat(b.events().read(run.sessionId(), 0, 100, java.time.Duration.ZERO).events())
                .filteredOn(e -> e instanceof SessionEvent.Log).hasSize(1);
    }

    @Test
    void agentLogPostedToAReachesASubscriberOnBWithNothingMissingEvenAcrossAResumeOnA() throws Exception {
        var run = RegisteredRun.in(a);
        int batches = 40;
        int perBatch = 50;
        var messages = new ArrayList<String>();
        long lastSeen;
        try (var sse = subscribe(b, run.sessionId(), null)) {
            assertThat(sse.next().id()).isEqualTo("1"); // the running status: B is live before A gets a record
            var poster = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < batches; i++) {
                    int base = i * perBatch;
                    var records = IntStream.range(0, perBatch)
                            .mapToObj(j -> "{\"level\":\"INFO\",\"logger\":\"agent\",\"message\":\"record " + (base + j) + "\"}").toList();
                    try {
                        var r = send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/log"))
                                .header("Authorization", "Bearer " + run.token()).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", records) + "]")));
                        if (r.statusCode() != 202) throw new IllegalStateException(r.statusCode() + " " + r.body());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            lastSeen = 1;
            // B takes the first half live, then the subscriber drops
            while (messages.size() < batches * perBatch / 2) {
                var f = sse.next();
                assertThat(f.event()).isEqualTo("log");
                assertThat(Long.parseLong(f.id())).isEqualTo(lastSeen + 1);
                lastSeen = Long.parseLong(f.id());
                messages.add(JSON.readTree(f.data()).get("message").asText());
            }
            poster.join();
        }
        a.events().append(new SessionEvent.Status(run.sessionId(), 0, Instant.now(), SessionStatus.SUCCEEDED));
        // …and resumes on A with Last-Event-ID, as a browser behind a load balancer would
        try (var sse = subscribe(a, run.sessionId(), lastSeen)) {
            SseReader.Frame f;
            while ((f = sse.next()) != null && !f.event().equals("end")) {
                if (f.event().equals("log")) {
                    assertThat(Long.parseLong(f.id())).isEqualTo(lastSeen + 1);
                    lastSeen = Long.parseLong(f.id());
                    messages.add(JSON.readTree(f.data()).get("message").asText());
                }
            }
            assertThat(f).isNotNull();
        }
        assertThat(messages).containsExactlyElementsOf(IntStream.range(0, batches * perBatch).mapToObj(i -> "record " + i).toList());
    }

    @Test
    void aResumableUploadPlannedOnAIsRefusedOnBWithTheReasonAndStillCompletesOnA() throws Exception {
        var content = "well,od600\nA1,0.12\n".getBytes(StandardCharsets.UTF_8);
        var sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        var plan = """
                {"context": {"name": "chunks", "description": "planned on A"},
                 "files": [{"path": "a.csv", "size": %d, "sha256": "%s"}]}""".formatted(content.length, sha);
        var created = send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/uploads"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(plan)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var json = JSON.readTree(created.body());
        var uploadId = json.get("upload_id").asText();
        var fileId = json.get("files").get(0).get("file_id").asText();

        var head = send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/tus/" + fileId)).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(404);
        var patch = send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/tus/" + fileId)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content)));
        assertThat(patch.statusCode()).isEqualTo(404);
        assertThat(patch.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(patch.body()).get("detail").asText()).contains("on this worker instance", "planned it", "POST /uploads");
        var complete = send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/uploads/" + uploadId + "/complete"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(complete.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(complete.body()).get("detail").asText()).contains("upload " + uploadId, "on this worker instance");

        var onA = send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/tus/" + fileId)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content)));
        assertThat(onA.statusCode()).as(onA.body()).isEqualTo(204);
        var done = send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/uploads/" + uploadId + "/complete"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(202);
        var sessionId = JSON.readTree(done.body()).get("session_id").asText();
        assertThat(getJson(b, "/sessions/" + sessionId).get("files").asInt()).isEqualTo(1); // the session itself is shared
    }

    @Test
    void twoInstancesRacingToEndOneSessionCannotBothWin() throws Exception {
        for (int round = 0; round < 20; round++) {
            var run = RegisteredRun.in(a);
            var cancel = CompletableFuture.supplyAsync(() -> b.sessions().store().transition(run.sessionId(), SessionStatus.CANCELLED, null));
            var succeed = CompletableFuture.supplyAsync(() -> a.sessions().store().transition(run.sessionId(), SessionStatus.SUCCEEDED, null));
            var winners = List.of(cancel.join(), succeed.join()).stream().filter(java.util.Optional::isPresent).count();
            assertThat(winners).isEqualTo(1);
            var final_ = b.sessions().store().get(run.sessionId()).orElseThrow().status();
            assertThat(final_).isIn(SessionStatus.CANCELLED, SessionStatus.SUCCEEDED);
        }
    }
}
