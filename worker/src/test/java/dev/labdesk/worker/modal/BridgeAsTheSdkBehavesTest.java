package dev.labdesk.worker.modal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labdesk.model.Json;
import dev.labdesk.worker.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real bridge.py against the stand-in SDK where the SDK is strict: {@code wait()} raising on
 * timeout and termination, a Sandbox that outlives its bridge and is found by name, SIGTERM during
 * {@code Sandbox.create}, a lazily missing Volume; and {@link ModalBridge#call}'s own timeout.
 */
class BridgeAsTheSdkBehavesTest {
    @TempDir Path modalRoot;
    @TempDir Path dataset;
    private ModalBridge bridge;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void volume() throws IOException {
        bridge = new ModalBridge(ModalDeploymentTest.bridge(modalRoot), Json.newMapper());
        Files.writeString(dataset.resolve("a.csv"), "x\n1\n");
        assertThat(bridge.call(List.of("put", "--volume", "vol", "--source", dataset.toString()), Map.of(), Duration.ofSeconds(60)).exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    private Process run(String name, int timeoutSeconds, Map<String, String> env, String... command) throws IOException {
        var args = new ArrayList<>(List.of("run", "--app", "labdesk-agents", "--name", name, "--volume", "vol", "--mount", "/mnt/dataset",
                "--timeout", Integer.toString(timeoutSeconds), "--cpu", "1.0", "--memory", "1536", "--"));
        args.addAll(List.of(command));
        var p = bridge.start(args, env);
        started.add(p);
        return p;
    }

    /** The bridge's JSON lines up to its exit (or error) line. */
    private List<JsonNode> linesToExit(Process p) throws IOException {
        var lines = new ArrayList<JsonNode>();
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                var json = bridge.parse(line);
                if (json == null) continue;
                lines.add(json);
                var event = json.path("event").asText();
                if (event.equals("exit") || event.equals("error")) break;
            }
        }
        return lines;
    }

    private JsonNode status(String name) throws IOException {
        var r = bridge.call(List.of("status", "--app", "labdesk-agents", "--run", name + "=vol"), Map.of(), Duration.ofSeconds(60));
        return r.lines().stream().filter(l -> l.path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aSandboxPastItsTimeoutEndsWithCode124AndStatusTimeoutThoughWaitRaises() throws Exception {
        var lines = linesToExit(run("agent-slow", 1, Map.of(), "sleep", "30"));
        assertThat(lines.getLast().path("event").asText()).as(lines.toString()).isEqualTo("exit");
        assertThat(lines.getLast().path("status").asText()).isEqualTo("timeout");
        assertThat(lines.getLast().path("code").asInt()).isEqualTo(124);
    }

    @Test
    void aSandboxTerminatedFromAnotherProcessByItsNameEndsAsTerminated() throws Exception {
        var p = run("agent-doomed", 60, Map.of(), "sleep", "30");
        var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(bridge.parse(in.readLine()).path("event").asText()).isEqualTo("started");
        var terminated = bridge.call(List.of("terminate", "--app", "labdesk-agents", "--name", "agent-doomed"), Map.of(), Duration.ofSeconds(60));
        assertThat(terminated.last().path("terminated").asBoolean()).isTrue();
        JsonNode exit = null;
        String line;
        while ((line = in.readLine()) != null) if (line.contains("\"exit\"")) exit = bridge.parse(line);
        assertThat(exit).isNotNull();
        assertThat(exit.path("status").asText()).isEqualTo("terminated");
        assertThat(exit.path("code").asInt()).isEqualTo(137);
    }

    @Test
    void aSigtermDuringSandboxCreateTerminatesTheSandboxCreateReturns() throws Exception {
        var p = run("agent-early-cancel", 60, Map.of("MODAL_STANDIN_CREATE_DELAY", "2"), "sleep", "30");
        // the volume handle is made as create's arguments are: from then on the bridge is inside Sandbox.create
        var calls = modalRoot.resolve("calls.log");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(calls).contains("Volume.from_name vol create_if_missing=False") && System.nanoTime() < until) Thread.sleep(20);
        Thread.sleep(300);
        p.toHandle().destroy(); // SIGTERM, as the launcher sends it
        var lines = linesToExit(p);
        assertThat(lines).extracting(l -> l.path("event").asText()).containsExactly("started", "exit");
        assertThat(lines.getLast().path("status").asText()).isEqualTo("cancelled");
        assertThat(Files.readAllLines(modalRoot.resolve("calls.log"))).contains("Sandbox.terminate " + lines.getFirst().path("sandbox_id").asText());
        var result = modalRoot.resolve("sandboxes").resolve(lines.getFirst().path("sandbox_id").asText()).resolve("result.json");
        Eventually.within(Duration.ofSeconds(15), "the sandbox's result written", () -> Files.exists(result));
        assertThat(result).content().contains("\"terminated\"");
    }

    @Test
    void aSandboxOutlivesItsKilledBridgeAndAnotherProcessSeesItRunThenGo() throws Exception {
        var gate = dataset.resolve("gate");
        var p = run("agent-survivor", 60, Map.of(), "sh", "-c", "while [ ! -e " + gate + " ]; do sleep 0.05; done; mkdir -p results; echo done > results/report.md");
        var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(bridge.parse(in.readLine()).path("event").asText()).isEqualTo("started");
        p.destroyForcibly(); // the worker's container is gone, without a word to Modal
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(status("agent-survivor").path("state").asText()).isEqualTo("running");
        Files.writeString(gate, "");
        JsonNode seen = status("agent-survivor");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!seen.path("state").asText().equals("gone") && System.nanoTime() < deadline) seen = status("agent-survivor");
        assertThat(seen.path("state").asText()).isEqualTo("gone");
        var withReport = bridge.call(List.of("status", "--app", "labdesk-agents", "--run", "agent-survivor=vol",
                "--sync-path", "results/report.md", "--sync-wait", "20"), Map.of(), Duration.ofSeconds(60));
        assertThat(withReport.lines().getFirst().path("report").asBoolean()).isTrue();
        assertThat(modalRoot.resolve("volumes/vol/results/report.md")).hasContent("done");
    }

    @Test
    void aVolumeThatDoesNotExistFailsOnFirstUseWithModalsNotFoundError() throws Exception {
        var args = List.of("run", "--app", "labdesk-agents", "--name", "agent-x", "--volume", "no-such-volume", "--mount", "/mnt/dataset",
                "--timeout", "60", "--cpu", "1.0", "--memory", "1536", "--", "true");
        var r = bridge.call(args, Map.of(), Duration.ofSeconds(60));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.error()).isEqualTo("NotFoundError: Volume 'no-such-volume' not found");
    }

    @Test
    void callKillsABridgeThatOutlivesItsTimeoutEvenWhileItKeepsStdoutOpen() {
        var hung = new ModalBridge(List.of("python3", "-c", "import time; print('{\"event\": \"working\"}', flush=True); time.sleep(120)"), Json.newMapper());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> hung.call(List.of("check"), Map.of(), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("did not finish 'check' within PT1S");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
}
