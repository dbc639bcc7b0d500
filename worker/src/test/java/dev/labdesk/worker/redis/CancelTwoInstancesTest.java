package dev.labdesk.worker.redis;

import dev.labdesk.worker.Stores;
import dev.labdesk.worker.session.RedisCancels;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /sessions/{id}/cancel} reaching an instance that does not run the agent: two real
 * workers on one real redis-server, the real agent child JVM started by an upload on A.
 */
class CancelTwoInstancesTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    @TempDir Path dirA;
    @TempDir Path dirB;
    private Worker a;
    private Worker b;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startWorkers() throws Exception {
        a = new Worker(WorkerConfig.local(dirA).withRedis(redis.url())).start();
        b = new Worker(WorkerConfig.local(dirB).withRedis(redis.url())).start();
    }

    @AfterEach
    void stopWorkers() {
        if (a != null) a.close();
        b.close();
    }

    @Test
    void aCancelArrivingAtBStopsTheAgentRunningOnAAndBothInstancesReportItCancelled() throws Exception {
        var id = upload(a, 200);
        awaitStatus(b, id, s -> s == SessionStatus.RUNNING || s.terminal());
        var agent = agentProcess(id);
        assertThat(agent).as("the agent of " + id + " runs under A").isPresent();
        var onA = statuses(a, id);
        var onB = statuses(b, id);

        long start = System.nanoTime();
        var cancel = post(b, "/sessions/" + id + "/cancel");
        var took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        assertThat(JSON.readTree(cancel.body()).get("status").asText()).isEqualTo("cancelled"); // B answered once A had ended it
        assertThat(took).isLessThan(SessionStatusWait.OWNER_GRACE); // A acknowledged: B did not fall back to its own time-out
        agent.get().onExit().get(10, TimeUnit.SECONDS);
        assertThat(agent.get().isAlive()).isFalse();
        assertThat(agentProcess(id)).isEmpty();
        assertThat(onA.get(30, TimeUnit.SECONDS)).containsExactly("queued", "running", "cancelled");
        assertThat(onB.get(30, TimeUnit.SECONDS)).containsExactly("queued", "running", "cancelled");
        assertThat(getJson(a, "/sessions/" + id).get("status").asText()).isEqualTo("cancelled");
        var logs = a.events().read(id, 0, 100_000, Duration.ZERO).events().stream()
                .filter(SessionEvent.Log.class::isInstance).map(e -> ((SessionEvent.Log) e).message()).toList();
        assertThat(logs).noneMatch(m -> m.contains("no worker instance stopped")); // the owner did it, not B's fallback

        var again = post(b, "/sessions/" + id + "/cancel");
        assertThat(again.statusCode()).isEqualTo(409);
    }

    @Test
    void aSessionWhoseInstanceDiedIsEndedByTheCancelInsteadOfStayingRunningForever() throws Exception {
        var run = RegisteredRun.in(a); // running, as far as the shared store knows; its instance goes away below
        a.close();
        a = null;
        var onB = statuses(b, run.sessionId());

        long start = System.nanoTime();
        var cancel = post(b, "/sessions/" + run.sessionId() + "/cancel");
        var took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        assertThat(JSON.readTree(cancel.body()).get("status").asText()).isEqualTo("cancelled");
        assertThat(JSON.readTree(cancel.body()).get("status").asText()).isEqualTo("cancelled");
        assertThat(took).as("no other instance was listening, so B did not wait for one").isLessThan(Duration.ofSeconds(5));
        assertThat(onB.get(30, TimeUnit.SECONDS)).containsExactly("running", "cancelled");
        var warning = b.events().read(run.sessionId(), 0, 100, Duration.ZERO).events().stream()
                .filter(SessionEvent.Log.class::isInstance).map(SessionEvent.Log.class::cast).findFirst().orElseThrow();
        assertThat(warning.level()).isEqualTo("WARN");
        assertThat(warning.message()).contains("runs on no live worker instance", "the instance that started it is gone");
    }

    @Test
    void whenTheInstancesThatHeardTheCancelDoNotEndTheSessionInTimeTheCancellerEndsIt() throws Exception {
        var run = RegisteredRun.in(a); // A is alive and hears the cancel, but runs no agent for it (the one that did died)
        // B's own session service, over the same Redis, with a short grace so the test need not wait 10 s
        try (var redisB = new RedisBackend(redis.url(), Duration.ofSeconds(2), Stores.KEY_PREFIX);
             var pubSub = new RedisPubSub(redisB)) {
            var service = new dev.labdesk.worker.session.SessionService(b.sessions().store(), b.events(),
                    new dev.labdesk.worker.volume.LocalVolumeStore(dirB.resolve("grace")),
                    new dev.labdesk.worker.agent.ProcessAgentLauncher(b.config()),
                    () -> b.baseUrl().resolve("/log"), Duration.ofMinutes(1), java.time.Clock.systemUTC(),
                    new RedisCancels(redisB, pubSub), Duration.ofMillis(800));
            await().atMost(Duration.ofSeconds(10)).until(pubSub::listening);

            long start = System.nanoTime();
            assertThat(service.cancel(run.sessionId())).isTrue();
            var took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).as("it waited for an owner first").isGreaterThanOrEqualTo(Duration.ofMillis(800)).isLessThan(Duration.ofSeconds(5));
            assertThat(getJson(a, "/sessions/" + run.sessionId()).get("status").asText()).isEqualTo("cancelled");
            var warning = a.events().read(run.sessionId(), 0, 100, Duration.ZERO).events().stream()
                    .filter(SessionEvent.Log.class::isInstance).map(SessionEvent.Log.class::cast).findFirst().orElseThrow();
            assertThat(warning.message()).contains("no worker instance stopped this session's agent within 0 s", "the instance running it is gone");
        }
    }

    @Test
    void aQueuedSessionIsCancelledFromAnyInstanceAtOnce() throws Exception {
        var id = dev.labdesk.model.SessionIds.newId();
        var now = java.time.Instant.now();
        var context = new dev.labdesk.model.ExperimentContext("queued", "never started", null, null, null, List.of(), null);
        a.sessions().store().create(new dev.labdesk.model.SessionInfo(id, dev.labdesk.model.SessionIds.volumeName(id),
                SessionStatus.QUEUED, context, 0, 0, now, now, null, "local"), List.of());
        var cancel = post(b, "/sessions/" + id + "/cancel");
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancel.body()).get("status").asText()).isEqualTo("cancelled");
        assertThat(getJson(a, "/sessions/" + id).get("status").asText()).isEqualTo("cancelled");
    }

    /** The grace B gives the owner; the test above must finish well inside it. */
    private static final class SessionStatusWait {
        static final Duration OWNER_GRACE = dev.labdesk.worker.session.SessionService.OWNER_GRACE;
    }

    /** The status events a subscriber of {@code w} sees until the stream ends, in order. */
    private CompletableFuture<List<String>> statuses(Worker w, String id) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(w.baseUrl() + "/sessions/" + id + "/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        var sse = new SseReader(r.body());
        return CompletableFuture.supplyAsync(() -> {
            var out = new ArrayList<String>();
            try (sse) {
                SseReader.Frame f;
                while ((f = sse.next()) != null && !f.event().equals("end"))
                    if (f.event().equals("status")) out.add(JSON.readTree(f.data()).get("status").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return out;
        });
    }

    private String upload(Worker w, int tables) throws Exception {
        var body = new RawMultipart().field("name", "Cancel across instances").field("description", "started on A, cancelled on B");
        for (int i = 0; i < tables; i++) body.file("data/t" + i + ".csv", "x,y\n" + i + "," + (i * 2) + "\n");
        var r = http.send(HttpRequest.newBuilder(URI.create(w.baseUrl() + "/upload")).header("Content-Type", RawMultipart.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.build())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("session_id").asText();
    }

    private void awaitStatus(Worker w, String id, java.util.function.Predicate<SessionStatus> wanted) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> wanted.test(SessionStatus.fromWire(getJson(w, "/sessions/" + id).get("status").asText())));
    }

    private HttpResponse<String> post(Worker w, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(w.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(Worker w, String path) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(w.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static Optional<ProcessHandle> agentProcess(String sessionId) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("--session-id=" + sessionId)).findFirst();
    }
}
