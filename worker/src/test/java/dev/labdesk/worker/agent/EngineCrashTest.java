package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.AgentRun.AgentExit;
import dev.labdesk.worker.testing.RawMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A file that would crash DuckDB in native code costs the researcher that file, never the session:
 * a JSON file nested too deep is never given to it, and an agent that dies while DuckDB reads a
 * file is started again without that file. Real uploads, real agents, real reports.
 */
class EngineCrashTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir Path dataDir;
    @TempDir Path volume;
    private Worker worker;

    @BeforeEach
    void start() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void aJsonFileNested200000DeepIsListedAsUnreadableAndTheSessionStillSucceeds() throws Exception {
        int depth = 200_000;
        var deep = "[".repeat(depth) + "1" + "]".repeat(depth);
        var body = new RawMultipart().field("name", "Deep").field("description", "one hostile file among good ones")
                .file("data/deep.json", deep)
                .file("data/plates.csv", "well,od600\nA1,0.12\nA2,0.15\n")
                .file("data/runs.jsonl", "{\"run\":1}\n{\"run\":2}\n").build();
        var r = http.send(HttpRequest.newBuilder(worker.baseUrl().resolve("/upload")).header("Content-Type", RawMultipart.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        var id = JSON.readTree(r.body()).get("session_id").asText();

        await().atMost(Duration.ofSeconds(90)).until(() -> worker.sessions().store().get(id).orElseThrow().status().terminal());
        var session = worker.sessions().store().get(id).orElseThrow();
        assertThat(session.status()).as(String.valueOf(session.error())).isEqualTo(SessionStatus.SUCCEEDED);

        var report = JSON.readTree(getJson("/sessions/" + id + "/report"));
        assertThat(report.get("tables")).extracting(t -> t.get("path").asText()).containsExactly("data/plates.csv", "data/runs.jsonl");
        assertThat(report.get("tables").get(0).get("rows").asLong()).isEqualTo(2);
        assertThat(report.get("unreadable")).singleElement().satisfies(u -> {
            assertThat(u.get("path").asText()).isEqualTo("data/deep.json");
            assertThat(u.get("reason").asText()).contains("nested deeper than 1,000 levels");
        });
        var warnings = worker.events().read(id, 0, 10_000, Duration.ZERO).events().stream()
                .filter(e -> e instanceof SessionEvent.Log l && l.level().equals("WARN")).map(e -> ((SessionEvent.Log) e).message()).toList();
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("Skipping data/deep.json: not read: nested deeper"));
    }

    @Test
    void anAgentWhoseDuckDbCrashesOnAFileIsRunAgainWithoutItAndTheReportSaysWhy() throws Exception {
        Files.createDirectories(volume.resolve("data"));
        Files.writeString(volume.resolve(TestAgents.CrashesDuckDbOnce.FILE), "[".repeat(200_000) + "]".repeat(200_000));
        Files.writeString(volume.resolve("data/good.csv"), "x,y\n1,2\n3,4\n5,6\n");
        var run = RegisteredRun.in(worker);
        var job = new AgentJob(run.sessionId(), "dataset-volume-" + run.sessionId(), volume, null,
                worker.baseUrl().resolve("/log"), run.token(), Duration.ofMinutes(2));

        var exit = new ProcessAgentLauncher(worker.config(), TestAgents.CrashesDuckDbOnce.class.getName())
                .launch(job).exit().get(90, TimeUnit.SECONDS);

        assertThat(exit.kind()).as(exit.detail()).isEqualTo(AgentExit.Kind.SUCCEEDED);
        var report = JSON.readTree(volume.resolve("results/report.json").toFile());
        assertThat(report.get("tables")).extracting(t -> t.get("path").asText()).containsExactly("data/good.csv");
        assertThat(report.get("unreadable")).singleElement().satisfies(u -> {
            assertThat(u.get("path").asText()).isEqualTo(TestAgents.CrashesDuckDbOnce.FILE);
            assertThat(u.get("reason").asText()).startsWith("not read: the data engine crashed on it (the agent exited with code ");
        });
        var agentLog = Files.readString(dataDir.resolve("agents/" + run.sessionId() + ".log"));
        assertThat(agentLog).doesNotContain("without crashing").contains("[labdesk: the agent died (exit code ")
                .contains("while the data engine read data/crashes.json; starting it again without that file]");
    }

    @Test
    void inASandboxTheSupervisorRunsTheAgentAgainWithoutTheFileDuckDbCrashedOn() throws Exception {
        Files.createDirectories(volume.resolve("data"));
        Files.writeString(volume.resolve(TestAgents.CrashesDuckDbOnce.FILE), "[".repeat(200_000) + "]".repeat(200_000));
        Files.writeString(volume.resolve("data/good.csv"), "x,y\n1,2\n");
        var run = RegisteredRun.in(worker);
        // a real process, started as the Sandbox starts it: java options, class path, the supervisor, the agent's arguments
        var command = new java.util.ArrayList<>(List.of(ProcessAgentLauncher.javaBinary(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + Files.createDirectories(dataDir.resolve("sandbox-tmp")),
                "-cp", System.getProperty("java.class.path"), TestAgents.SupervisesCrashingAgent.class.getName(),
                "--session-id=" + run.sessionId(), "--volume=" + volume, "--log-url=" + worker.baseUrl().resolve("/log")));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(AgentArgs.TOKEN_ENV, run.token());
        var sandbox = builder.start();
        var output = new String(sandbox.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(sandbox.waitFor(90, TimeUnit.SECONDS)).isTrue();

        assertThat(sandbox.exitValue()).as(output).isZero();
        assertThat(output).contains("while the data engine read data/crashes.json; starting it again without that file]");
        var report = JSON.readTree(volume.resolve("results/report.json").toFile());
        assertThat(report.get("tables")).extracting(t -> t.get("path").asText()).containsExactly("data/good.csv");
        assertThat(report.get("unreadable")).singleElement()
                .satisfies(u -> assertThat(u.get("reason").asText()).startsWith("not read: the data engine crashed on it"));
        assertThat(run.events(SessionEvent.Log.class)).anySatisfy(l -> assertThat(l.message()).startsWith("Skipping data/crashes.json"));
    }

    @Test
    void anAgentThatCrashesOutsideAnyFileIsNotRunAgain() throws Exception {
        var run = RegisteredRun.in(worker);
        var job = new AgentJob(run.sessionId(), "dataset-volume-" + run.sessionId(), volume, null,
                worker.baseUrl().resolve("/log"), run.token(), Duration.ofMinutes(2));
        var exit = new ProcessAgentLauncher(worker.config(), TestAgents.Crashes.class.getName()).launch(job).exit().get(60, TimeUnit.SECONDS);
        assertThat(exit.kind()).isEqualTo(AgentExit.Kind.FAILED);
        assertThat(exit.code()).isEqualTo(134);
        assertThat(Files.readString(dataDir.resolve("agents/" + run.sessionId() + ".log"))).doesNotContain("starting it again");
    }

    private String getJson(String path) throws Exception {
        var r = http.send(HttpRequest.newBuilder(worker.baseUrl().resolve(path)).header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}
