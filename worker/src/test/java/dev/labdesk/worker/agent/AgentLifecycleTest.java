package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.RawMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real agent's life inside a real worker, started by an upload over HTTP: it times out, it is
 * cancelled, the worker closes under it. Each time the session ends with a readable status, the
 * volume stays, the worker keeps serving, and no agent process is left.
 */
class AgentLifecycleTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir Path dataDir;
    private Worker worker;

    @AfterEach
    void stop() {
        if (worker != null) worker.close();
    }

    @Test
    void anAgentThatRunsTooLongIsStoppedAndTheSessionFails() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir).with(b -> b.agentTimeout(Duration.ofMillis(300)))).start();
        var id = upload(5);
        var session = awaitStatus(id, s -> s.terminal());
        assertThat(session.get("status").asText()).isEqualTo("failed");
        assertThat(session.get("error").asText()).isEqualTo("agent ran longer than 300ms and was stopped");
        var errors = events(id, SessionEvent.Error.class);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("agent_timeout");
            assertThat(e.message()).isEqualTo("agent ran longer than 300ms and was stopped");
        });
        assertNoAgentProcess(id);
        assertThat(dataDir.resolve("volumes/dataset-volume-" + id + "/data/t0.csv")).exists();
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aCancelledAgentStopsAndTheSessionIsCancelled() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
        var id = upload(200);
        awaitStatus(id, s -> s == SessionStatus.RUNNING || s.terminal());
        var agent = agentProcess(id);
        assertThat(agent).as("the agent of " + id + " is running").isPresent();
        var cancel = http.send(HttpRequest.newBuilder(url("/sessions/" + id + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.body()).as("the answer is the ended session").contains("\"status\":\"cancelled\"");
        var session = awaitStatus(id, SessionStatus::terminal);
        assertThat(session.get("status").asText()).isEqualTo("cancelled");
        assertThat(agent.get().isAlive()).isFalse();
        assertNoAgentProcess(id);
        assertThat(events(id, SessionEvent.Status.class)).extracting(SessionEvent.Status::status)
                .containsExactly(SessionStatus.QUEUED, SessionStatus.RUNNING, SessionStatus.CANCELLED);
        assertThat(dataDir.resolve("volumes/dataset-volume-" + id + "/data/t199.csv")).exists();
    }

    @Test
    void closingTheWorkerStopsItsAgents() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
        var id = upload(200);
        awaitStatus(id, s -> s == SessionStatus.RUNNING || s.terminal());
        var agent = agentProcess(id);
        assertThat(agent).as("the agent of " + id + " is running").isPresent();
        worker.close();
        worker = null;
        agent.get().onExit().get(10, TimeUnit.SECONDS);
        assertNoAgentProcess(id);
    }

    /** Uploads {@code tables} small CSV files; returns the session id. */
    private String upload(int tables) throws Exception {
        var body = new RawMultipart().field("name", "Lifecycle").field("description", "agent stops");
        for (int i = 0; i < tables; i++) body.file("data/t" + i + ".csv", "x,y\n" + i + "," + (i * 2) + "\n");
        var r = http.send(HttpRequest.newBuilder(url("/upload")).header("Content-Type", RawMultipart.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.build())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("session_id").asText();
    }

    private JsonNode awaitStatus(String id, Predicate<SessionStatus> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            var session = JSON.readTree(get("/sessions/" + id).body());
            if (wanted.test(SessionStatus.fromWire(session.get("status").asText()))) return session;
            if (System.nanoTime() > deadline) throw new AssertionError("session " + id + " stayed " + session.get("status"));
            Thread.sleep(20); // polling the public route, as a client would
        }
    }

    private <T extends SessionEvent> List<T> events(String id, Class<T> kind) throws InterruptedException {
        return worker.events().read(id, 0, 100_000, Duration.ZERO).events().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static java.util.Optional<ProcessHandle> agentProcess(String sessionId) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("--session-id=" + sessionId)).findFirst();
    }

    private static void assertNoAgentProcess(String sessionId) {
        assertThat(ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("--session-id=" + sessionId)).toList())
                .as("agent processes of " + sessionId).isEmpty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create(worker.baseUrl() + path);
    }
}
