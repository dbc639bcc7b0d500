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
        try (var list = Files.list(STANDIN.resolve("modal"))) {
            list.filter(p -> p.toString().endsWith(".py")).forEach(p -> files.add(p.toString()));
        }
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
                .contains("labdesk-keys", "labdesk-openai", "labdesk-logfire", "labdesk-redis")
                // Sandboxes run the worker's own image, not one built per run
                .contains("env.setdefault(\"LABDESK_MODAL_IMAGE_ID\", env[\"MODAL_IMAGE_ID\"])")
                // the AOT cache is trained and used with the same heap and collector
                .contains("f\"java {JAVA_OPTIONS} -XX:AOTCacheOutput=", "java = [\"java\", *JAVA_OPTIONS.split(),");
        // the SDK is pinned to the version the bridge (and the stand-in) were written against
        var pinned = app.replaceAll("(?s).*MODAL_SDK = \"modal==([0-9.]+)\".*", "$1");
        assertThat(app).contains(".pip_install(MODAL_SDK)");
        assertThat(Files.readString(MODAL_DIR.resolve("bridge.py"))).contains("Modal SDK " + pinned);
        assertThat(Files.readString(STANDIN.resolve("modal/__init__.py"))).contains("__version__ = \"" + pinned + "-standin\"");
        var startup = Integer.parseInt(app.replaceAll("(?s).*STARTUP_TIMEOUT = (\\d+).*", "$1"));
        assertThat(startup).isGreaterThanOrEqualTo(60);
    }

    static final String IMAGE_ID = "im-labdesk-worker-test";

    /** The real bridge on the stand-in SDK, as in a worker container (Modal sets MODAL_IMAGE_ID there). */
    static List<String> bridge(Path modalRoot) {
        return List.of("env", "PYTHONPATH=" + STANDIN, "MODAL_STANDIN_ROOT=" + modalRoot, "PYTHONPYCACHEPREFIX=" + modalRoot.resolve("pycache"),
                "MODAL_IMAGE_ID=" + IMAGE_ID, "python3", MODAL_DIR.resolve("bridge.py").toString());
    }

    /** This JVM with the test class path, then {@code extra} (options, or a main class to run instead of AgentMain). */
    static List<String> agentJava(String... extra) {
        var java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        java.addAll(List.of(extra));
        return java;
    }

    static WorkerConfig modalConfig(Path dataDir, Path modalRoot, List<String> agentJava) {
        return WorkerConfig.local(dataDir).with(b -> b.kinds(WorkerConfig.VolumesKind.MODAL, WorkerConfig.AgentKind.MODAL)
                .modal(bridge(modalRoot), agentJava));
    }

    private Worker modalWorker() throws Exception {
        return new Worker(modalConfig(dataDir, modalRoot, agentJava())).start();
    }

    static String upload(HttpClient http, Worker worker, String name) throws Exception {
        var body = new RawMultipart().field("name", name).field("description", "volume and sandbox through the bridge")
                .file("plates/day1.csv", "well,od600,strain\nA1,0.12,wt\nA2,0.15,wt\nB1,0.31,mut\n").build();
        var accepted = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/upload"))
                .header("Content-Type", RawMultipart.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return JSON.readTree(accepted.body()).get("session_id").asText();
    }

    /** The session's events from the start until its {@code end}. */
    static List<SseReader.Frame> eventsToTheEnd(HttpClient http, Worker worker, String sessionId) throws Exception {
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
        return frames;
    }

    static List<String> statuses(List<SseReader.Frame> frames) {
        return frames.stream().filter(f -> f.event().equals("status")).map(f -> f.data().replaceAll(".*\"status\":\"(\\w+)\".*", "$1")).toList();
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

        // uploaded after the 202, before the Sandbox started
        assertThat(Files.readString(volume.resolve("plates/day1.csv"))).isEqualTo(csv);
        // the agent wrote its report in its Sandbox, not into this container
        assertThat(dataDir.resolve("volumes").resolve("dataset-volume-" + sessionId).resolve("results/report.md")).doesNotExist();
        // the report is read at once: the bridge said the run ended only once the volume had it (a
        // v1 Volume has what a Sandbox wrote only after it exits, here 1.5 s after)
        var report = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions/" + sessionId + "/report")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        // the agent wrote its report into the Modal volume (its Sandbox's mount), not into this container
        assertThat(volume.resolve("results/report.md")).exists();
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
        assertThat(calls).contains("Image.from_id " + IMAGE_ID);
        assertThat(calls).anyMatch(c -> c.startsWith("Sandbox.create app=labdesk-agents name=agent-" + sessionId + " image=" + IMAGE_ID
                        + " cpu=1.0 memory=1536 volumes=['/mnt/dataset']")
                && c.contains("'LABDESK_RUN_TOKEN'") && c.contains("'LABDESK_AGENT_CONTEXT'"));
        // the upload went to Modal before the Sandbox was created
        assertThat(calls.indexOf("Volume.batch_upload dataset-volume-" + sessionId + " force=True"))
                .isLessThan(calls.indexOf(calls.stream().filter(c -> c.startsWith("Sandbox.create")).findFirst().orElseThrow()));

        var health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(health.at("/dependencies/volumes/status").asText()).isEqualTo("ok");
        assertThat(health.at("/dependencies/volumes/detail").asText()).contains("modal", "standin");
        assertThat(health.at("/dependencies/agent/detail").asText()).isEqualTo("modal");
    }

    @Test
    void aJavaStackTraceOnTheSandboxsStderrReachesTheSessionsError() throws Exception {
        worker = new Worker(modalConfig(dataDir, modalRoot, agentJava(CrashingAgent.class.getName()))).start();
        var sessionId = upload(http, worker, "Crashes");
        var frames = eventsToTheEnd(http, worker, sessionId);
        assertThat(statuses(frames)).containsExactly("queued", "running", "failed");
        var error = frames.stream().filter(f -> f.event().equals("agent_error")).findFirst().orElseThrow();
        var detail = JSON.readTree(error.data()).get("message").asText();
        assertThat(detail).contains("the agent exited with 1", "java.lang.IllegalStateException: the dataset engine fell over",
                "at dev.labdesk.worker.modal.CrashingAgent.readDataset(CrashingAgent.java");
        assertThat(Files.readString(dataDir.resolve("agents").resolve(sessionId + ".log")))
                .contains("Exception in thread \"main\" java.lang.IllegalStateException");
    }

    @Test
    void aBridgeThatCannotReachModalFailsTheUploadAndKeepsNothing() throws Exception {
        // a real bridge whose SDK import fails, as in a container without the modal package
        var config = WorkerConfig.local(dataDir).with(b -> b.kinds(WorkerConfig.VolumesKind.MODAL, WorkerConfig.AgentKind.PROCESS)
                .modal(List.of("env", "PYTHONPATH=" + modalRoot, "python3", MODAL_DIR.resolve("bridge.py").toString()), List.of("java")));
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
