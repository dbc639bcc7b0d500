package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Limits;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;
import dev.labdesk.worker.testing.RawMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent queue seen from outside: real uploads over HTTP to a real worker running the real
 * agent. The agents post their log through a gate in front of the worker's {@code /log}; while it
 * is shut an agent cannot finish (it waits to deliver its log), so the test decides when the
 * running one ends.
 */
class UploadQueueTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final String ADA = "ada-key-0123456789abcdef", BOB = "bob-key-0123456789abcdef";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir Path dataDir;
    private final CountDownLatch gateOpen = new CountDownLatch(1);
    private HttpServer gate;
    private Worker worker;

    @BeforeEach
    void openGate() throws IOException {
        gate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gate.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        gate.createContext("/log", exchange -> {
            try (exchange) {
                if (!gateOpen.await(60, TimeUnit.SECONDS)) throw new IOException("the test never opened the gate");
                var forward = HttpRequest.newBuilder(worker.baseUrl().resolve("/log"))
                        .header("Content-Type", exchange.getRequestHeaders().getFirst("Content-Type"))
                        .header("Authorization", exchange.getRequestHeaders().getFirst("Authorization"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes())).build();
                var answer = http.send(forward, HttpResponse.BodyHandlers.ofByteArray());
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        gate.start();
    }

    @AfterEach
    void stop() {
        gateOpen.countDown();
        if (worker != null) worker.close();
        gate.stop(0);
    }

    @Test
    void withOneAgentThreeUploadsRunOneAtATimeTheOthersToldTheirPlaceAndAllFinishInOrder() throws Exception {
        worker = start(Limits.defaults().withMaxAgents(1), AuthSettings.none());
        var first = upload(null, "a");
        var second = upload(null, "b");
        var third = upload(null, "c");

        awaitStatus(first, SessionStatus.RUNNING);
        assertThat(status(second)).isEqualTo(SessionStatus.QUEUED);
        assertThat(status(third)).isEqualTo(SessionStatus.QUEUED);
        assertThat(logs(second)).containsExactly("waiting for an agent: 1st in line, 1 running");
        assertThat(logs(third)).containsExactly("waiting for an agent: 2nd in line, 1 running");

        gateOpen.countDown();
        for (var id : List.of(first, second, third)) awaitStatus(id, SessionStatus.SUCCEEDED);
        assertThat(logs(third)).startsWith("waiting for an agent: 2nd in line, 1 running", "waiting for an agent: 1st in line, 1 running");
        assertThat(statusTime(second, SessionStatus.RUNNING)).isAfterOrEqualTo(statusTime(first, SessionStatus.SUCCEEDED));
        assertThat(statusTime(third, SessionStatus.RUNNING)).isAfterOrEqualTo(statusTime(second, SessionStatus.SUCCEEDED));
        for (var id : List.of(first, second, third))
            assertThat(get(null, "/sessions/" + id + "/report").statusCode()).isEqualTo(200);
    }

    @Test
    void aPrincipalAtItsCapOfWaitingSessionsIsRefusedWith429WhileAnotherIsNot() throws Exception {
        var keys = AuthSettings.keys(List.of(ApiKey.plain("ada", ADA, false), ApiKey.plain("bob", BOB, false)));
        worker = start(Limits.defaults().withMaxAgents(1).withMaxQueuedPerPrincipal(1), keys);
        var adas = upload(ADA, "a");
        awaitStatus(adas, SessionStatus.RUNNING);
        long volumes = volumeCount();

        var refused = send(ADA, "/upload", RawMultipart.contentType(), new RawMultipart().field("name", "Again").field("description", "one too many")
                .file("data/t.csv", "x\n1\n").build());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(refused.body()).get("detail").asText()).contains("1 sessions waiting for or running an agent", "(1)");
        var plan = send(ADA, "/uploads", "application/json", "{\"context\": {\"name\": \"n\", \"description\": \"d\"}, \"files\": []}".getBytes());
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(429);
        assertThat(volumeCount()).as("nothing was stored for a refused upload").isEqualTo(volumes);

        var bobs = upload(BOB, "b");
        assertThat(status(bobs)).as("bob has his own share").isEqualTo(SessionStatus.QUEUED);

        gateOpen.countDown();
        awaitStatus(adas, SessionStatus.SUCCEEDED);
        awaitStatus(bobs, SessionStatus.SUCCEEDED);
        assertThat(upload(ADA, "c")).as("a finished session frees its place").isNotBlank();
    }

    private Worker start(Limits limits, AuthSettings auth) throws IOException {
        var gated = WorkerConfig.local(dataDir).with(b -> b.auth(auth).limits(limits)
                .publicUrl(URI.create("http://127.0.0.1:" + gate.getAddress().getPort())));
        return new Worker(gated).start();
    }

    private String upload(String key, String table) throws Exception {
        var body = new RawMultipart().field("name", "Queue " + table).field("description", "waits its turn")
                .file("data/" + table + ".csv", "x,y\n1,2\n3,4\n").build();
        var r = send(key, "/upload", RawMultipart.contentType(), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("session_id").asText();
    }

    private HttpResponse<String> send(String key, String path, String contentType, byte[] body) throws Exception {
        var request = HttpRequest.newBuilder(worker.baseUrl().resolve(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) request.header("Authorization", "Bearer " + key);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String key, String path) throws Exception {
        var request = HttpRequest.newBuilder(worker.baseUrl().resolve(path));
        if (key != null) request.header("Authorization", "Bearer " + key);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long volumeCount() throws IOException {
        var dir = dataDir.resolve("volumes");
        try (var list = Files.list(dir)) {
            return list.count();
        }
    }

    private SessionStatus status(String id) {
        return worker.sessions().store().get(id).orElseThrow().status();
    }

    private void awaitStatus(String id, SessionStatus wanted) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
            var now = status(id);
            if (now.terminal() && now != wanted) throw new AssertionError(id + " ended " + now + ": " + worker.sessions().store().get(id));
            return now == wanted;
        });
    }

    private List<SessionEvent> events(String id) throws InterruptedException {
        return worker.events().read(id, 0, 100_000, Duration.ZERO).events();
    }

    private List<String> logs(String id) throws InterruptedException {
        return events(id).stream().filter(SessionEvent.Log.class::isInstance).map(e -> ((SessionEvent.Log) e).message())
                .filter(m -> m.startsWith("waiting for an agent")).toList();
    }

    private Instant statusTime(String id, SessionStatus status) throws InterruptedException {
        return events(id).stream().filter(e -> e instanceof SessionEvent.Status s && s.status() == status)
                .map(SessionEvent::time).findFirst().orElseThrow(() -> new AssertionError(id + " was never " + status));
    }
}
