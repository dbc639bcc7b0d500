package dev.labdesk.worker.modal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.redis.SharedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Modal scales a container down after its last request, whatever its agents are doing. Two real
 * workers on one real redis-server, both on the real bridge and the stand-in SDK (whose Sandboxes
 * outlive the process that created them): the worker that launched a run is stopped mid-run, and
 * the other one ends the session, with its report, or cancels it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SupervisionAcrossWorkersTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    @TempDir Path dirA;
    @TempDir Path dirB;
    @TempDir Path modalRoot;
    @TempDir Path gates;
    private Worker a;
    private Worker b;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws Exception {
        Files.writeString(gates.resolve("open"), ""); // no agent left waiting
        if (a != null) a.close();
        if (b != null) b.close();
    }

    /** B, then A, whose agents post their logs to B: on Modal both sit behind one public URL. */
    private void startWorkers() throws Exception {
        var agentJava = ModalDeploymentTest.agentJava("-Dlabdesk.test.gate=" + gates.resolve("open"), GatedAgent.class.getName());
        b = new Worker(ModalDeploymentTest.modalConfig(dirB, modalRoot, agentJava).withRedis(redis.url())).start();
        var c = ModalDeploymentTest.modalConfig(dirA, modalRoot, agentJava).withRedis(redis.url());
        a = new Worker(c.with(config -> config.publicUrl(b.baseUrl()))).start();
    }

    private String status(Worker w, String sessionId) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(w.baseUrl() + "/sessions/" + sessionId)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("status").asText();
    }

    private void awaitStatus(Worker w, String sessionId, String wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String seen;
        while (!(seen = status(w, sessionId)).equals(wanted) && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(seen).isEqualTo(wanted);
    }

    /** Launched by A, its agent held at the gate, then A stops as a scaled-down container does. */
    private String runLaunchedByAStoppedMidRun() throws Exception {
        startWorkers();
        var sessionId = ModalDeploymentTest.upload(http, a, "Outlives its worker");
        awaitStatus(b, sessionId, "running");
        a.close();
        a = null;
        assertThat(Files.readString(modalRoot.resolve("calls.log"))).doesNotContain("Sandbox.terminate");
        assertThat(status(b, sessionId)).isEqualTo("running");
        return sessionId;
    }

    @Test
    void aRunWhoseLaunchingWorkerStoppedEndsWithItsReportReadFromTheOtherWorker() throws Exception {
        var sessionId = runLaunchedByAStoppedMidRun();
        Files.writeString(gates.resolve("open"), "");

        var frames = ModalDeploymentTest.eventsToTheEnd(http, b, sessionId);
        assertThat(ModalDeploymentTest.statuses(frames)).containsExactly("queued", "running", "succeeded");
        // the agent's own log reached the session through B after A was gone
        assertThat(frames).anyMatch(f -> f.event().equals("log") && f.data().contains("Done in"));
        var report = http.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/sessions/" + sessionId + "/report")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        assertThat(report.body()).contains("plates/day1.csv");
        // A was gone before the agent began: B alone saw the Sandbox end, and nothing terminated it
        assertThat(Files.readString(modalRoot.resolve("calls.log"))).doesNotContain("Sandbox.terminate");
    }

    @Test
    void aCancelOnTheOtherWorkerTerminatesTheSandboxTheStoppedWorkerLaunched() throws Exception {
        var sessionId = runLaunchedByAStoppedMidRun();
        var cancel = http.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/sessions/" + sessionId + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cancel.statusCode()).as(cancel.body()).isBetween(200, 299);
        awaitStatus(b, sessionId, "cancelled");
        // the Sandbox itself is stopped, not left running to its timeout
        var calls = Files.readString(modalRoot.resolve("calls.log"));
        assertThat(calls).contains("Sandbox.from_name labdesk-agents agent-" + sessionId, "Sandbox.terminate sb-");
        try (var sandboxes = Files.list(modalRoot.resolve("sandboxes"))) {
            var result = sandboxes.findFirst().orElseThrow().resolve("result.json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!Files.exists(result) && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(result).content().contains("\"terminated\"");
        }
    }
}
