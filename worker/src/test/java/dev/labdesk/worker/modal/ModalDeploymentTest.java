package dev.labdesk.worker.modal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.RawMultipart;
import dev.labdesk.worker.testing.SseReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Modal path end to end on this machine: the real worker with LABDESK_VOLUMES=modal and
 * LABDESK_AGENT=modal, the real bridge.py, and a stand-in {@code modal} module (volumes are
 * directories, Sandboxes local processes) in place of the SDK, which cannot be installed here.
 */
class ModalDeploymentTest {
    private static final ObjectMapper JSON = Json.newMapper();
    static final Path MODAL_DIR = Path.of("..", "packaging", "modal").toAbsolutePath().normalize();
    static final Path STANDIN = Path.of("src", "test", "resources", "modal-standin").toAbsolutePath();
    @TempDir Path dataDir;
    @TempDir Path modalRoot;
    private Worker worker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (worker != null) worker.close();
    }

    @Test
    void everyModalFileCompiles() throws Exception {
        var files = new ArrayList<String>();
        try (var list = Files.list(MODAL_DIR)) {
            list.filter(p -> p.toString().endsWith(".py")).forEach(p -> files.add(p.toString()));
        }
        files.add(STANDIN.resolve("modal/__init__.py").toString());
        assertThat(files).anyMatch(f -> f.endsWith("labdesk_modal.py")).anyMatch(f -> f.endsWith("bridge.py"));
        for (var file : files) {
            var builder = new ProcessBuilder("python3", "-m", "py_compile", file).redirectErrorStream(true);
            builder.environment().put("PYTHONPYCACHEPREFIX", modalRoot.toString()); // no __pycache__ in the source tree
            var p = builder.start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(file + ": " + out).isZero();
        }
    }

    @Test
    void theAppDefinitionAsksModalForWhatTheDesignRequires() throws Exception {
        var app = Files.readString(MODAL_DIR.resolve("labdesk_modal.py"));
        assertThat(app).contains("@modal.web_server(port=PORT, startup_timeout=STARTUP_TIMEOUT", "requires_proxy_auth=")
                .contains("@modal.concurrent(max_inputs=", "scaledown_window=", "timeout=FUNCTION_TIMEOUT")
                .contains("eclipse-temurin:25-jre", "add_python=", "labdesk-worker.jar", "bridge.py")
                .contains("labdesk-openai", "labdesk-logfire", "labdesk-redis");
        var startup = Integer.parseInt(app.replaceAll("(?s).*STARTUP_TIMEOUT = (\\d+).*", "$1"));
        assertThat(startup).isGreaterThanOrEqualTo(60);
    }

    private Worker modalWorker() throws Exception {
        var bridge = List.of("env", "PYTHONPATH=" + STANDIN, "MODAL_STANDIN_ROOT=" + modalRoot,
                "python3", MODAL_DIR.resolve("bridge.py").toString());
        var java = ProcessHandle.current().info().command().orElseThrow();
        var agentJava = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"));
        var config = WorkerConfig.local(dataDir)
                .withKinds(WorkerConfig.VolumesKind.MODAL, WorkerConfig.AgentKind.MODAL);
        config = config.withScale(config.scale().withModal(bridge, agentJava));
        return new Worker(config).start();
    }

    @Test
    void anUploadBecomesAModalVolumeItsAgentRunsInASandboxWithItMountedAndTheReportComesBackFromIt() throws Exception {
        worker = modalWorker();
        var csv = "well,od600,strain\nA1,0.12,wt\nA2,0.15,wt\nB1,0.31,mut\n";
        var body = new RawMultipart().field("name", "On Modal").field("description", "volume and sandbox through the bridge")
                .file("plates/day1.csv", csv).file("notes.txt", "plate reader notes\n").build();
        var accepted = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/upload"))
                .header("Content-Type", RawMultipart.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var sessionId = JSON.readTree(accepted.body()).get("session_id").asText();
        var volume = modalRoot.resolve("volumes").resolve("dataset-volume-" + sessionId);
        assertThat(volume.resolve("plates/day1.csv")).hasContent(csv.strip());
        assertThat(Files.readString(volume.resolve("plates/day1.csv"))).isEqualTo(csv);

        var frames = new ArrayList<SseReader.Frame>();
        var stream = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions/" + sessionId + "/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var sse = new SseReader(stream.body())) {
            SseReader.Frame f;
            while ((f = sse.next()) != null) {
                frames.add(f);
                if (f.event().equals("end")) break;
            }
        }
        var statuses = frames.stream().filter(f -> f.event().equals("status")).map(f -> f.data().replaceAll(".*\"status\":\"(\\w+)\".*", "$1")).toList();
        assertThat(statuses).as(Files.readString(dataDir.resolve("agents").resolve(sessionId + ".log"))).containsExactly("queued", "running", "succeeded");
        assertThat(frames).anyMatch(f -> f.event().equals("log"));

        // the agent wrote its report into the Modal volume (its Sandbox's mount), not into this container
        assertThat(volume.resolve("results/report.md")).exists();
        assertThat(dataDir.resolve("volumes").resolve("dataset-volume-" + sessionId).resolve("results/report.md")).doesNotExist();
        var report = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions/" + sessionId + "/report")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).isEqualTo(Files.readString(volume.resolve("results/report.md"))).contains("plates/day1.csv");
        // read again, concurrently: the report was fetched once, every later read is served from that copy
        try (var readers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var again = new ArrayList<java.util.concurrent.Future<HttpResponse<String>>>();
            for (int i = 0; i < 8; i++)
                again.add(readers.submit(() -> http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions/" + sessionId + "/report"))
                        .build(), HttpResponse.BodyHandlers.ofString())));
            for (var r : again) assertThat(r.get().body()).isEqualTo(report.body());
        }
        var reportFetches = Files.readAllLines(modalRoot.resolve("calls.log")).stream()
                .filter(c -> c.equals("Volume.read_file dataset-volume-" + sessionId + " results/report.md")).count();
        assertThat(reportFetches).as("bridge fetches of the report for 9 reads").isEqualTo(1);

        var calls = Files.readAllLines(modalRoot.resolve("calls.log"));
        assertThat(calls).contains("Volume.from_name dataset-volume-" + sessionId + " create_if_missing=True",
                "Volume.batch_upload dataset-volume-" + sessionId + " force=True",
                "App.lookup labdesk-agents create_if_missing=True");
        assertThat(calls).anyMatch(c -> c.startsWith("Sandbox.create app=labdesk-agents volumes=['/mnt/dataset']")
                && c.contains("'LABDESK_RUN_TOKEN'") && c.contains("'LABDESK_AGENT_CONTEXT'"));

        var health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(health.at("/dependencies/volumes/status").asText()).isEqualTo("ok");
        assertThat(health.at("/dependencies/volumes/detail").asText()).contains("modal", "standin");
        assertThat(health.at("/dependencies/agent/detail").asText()).isEqualTo("modal");
    }

    @Test
    void aBridgeThatCannotReachModalFailsTheUploadAndKeepsNothing() throws Exception {
        var config = WorkerConfig.local(dataDir).withKinds(WorkerConfig.VolumesKind.MODAL, WorkerConfig.AgentKind.PROCESS);
        // a real bridge whose SDK import fails, as in a container without the modal package
        config = config.withScale(config.scale().withModal(List.of("env", "PYTHONPATH=" + modalRoot, "python3",
                MODAL_DIR.resolve("bridge.py").toString()), List.of("java")));
        worker = new Worker(config).start();
        var body = new RawMultipart().field("name", "No Modal").field("description", "the SDK is missing")
                .file("a.csv", "x\n1\n").build();
        var r = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/upload"))
                .header("Content-Type", RawMultipart.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(r.body()).get("detail").asText()).contains("could not be written", "No module named 'modal'");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        try (var left = Files.list(dataDir.resolve("volumes"))) {
            assertThat(left.filter(p -> !p.getFileName().toString().equals(".staging")).toList()).isEmpty();
        }
        var health = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(health.body()).at("/dependencies/volumes/detail").asText()).contains("modal bridge", "No module named 'modal'");
    }
}
