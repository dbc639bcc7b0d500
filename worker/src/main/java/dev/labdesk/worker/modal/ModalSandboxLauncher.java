package dev.labdesk.worker.modal;

import dev.labdesk.worker.agent.AgentSupervisor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.SessionIds;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.AgentJob;
import dev.labdesk.worker.agent.AgentLauncher;
import dev.labdesk.worker.agent.AgentRun;
import dev.labdesk.worker.agent.AgentRun.AgentExit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs each agent in a Modal Sandbox named {@code agent-{session_id}} with the session's Modal volume
 * mounted at {@link #MOUNT}, through the bridge's {@code run} command: the same {@code AgentMain} as
 * the local launcher, in the worker's own image, posting its log to the worker's public URL with the
 * run token. The token, the context and the model key reach the Sandbox as a Modal Secret built from
 * the bridge's environment, never as arguments. The Sandbox's stdout and stderr are kept in
 * {@code {dataDir}/agents/{session_id}.log}; the last lines of both end a failed run's detail.
 *
 * <p>A Sandbox outlives the container that started it (Modal scales containers down after their
 * last request): the worker detaches on close, and any instance can see the run end by the
 * Sandbox's name ({@link #endedRuns}) or terminate it ({@link #stop}).
 */
public final class ModalSandboxLauncher implements AgentLauncher {
    public static final String MOUNT = "/mnt/dataset";
    static final String APP = "labdesk-agents";
    /** What the agent needs: one core and its 1 GiB heap plus DuckDB and the JVM's own memory. */
    static final double CPU = 1.0;
    static final int MEMORY_MIB = 1536;
    /** The file whose presence in the volume says the agent's results are synced (written last). */
    static final String SYNC_PATH = "results/report.md";
    /** How long a v1 Volume may take to show what an ended Sandbox wrote. */
    static final Duration SYNC_WAIT = Duration.ofSeconds(60);
    /** How long the image pull and Sandbox.create may take before the launch is given up. */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    private static final String TOKEN_ENV = "LABDESK_RUN_TOKEN";
    private static final String CONTEXT_ENV = "LABDESK_AGENT_CONTEXT";
    private static final int TAIL_LINES = 40;

    private final WorkerConfig config;
    private final ModalBridge bridge;
    private final ObjectMapper mapper;

    public ModalSandboxLauncher(WorkerConfig config, ModalBridge bridge, ObjectMapper mapper) {
        this.config = config;
        this.bridge = bridge;
        this.mapper = mapper;
    }

    static String sandboxName(String sessionId) {
        return "agent-" + sessionId;
    }

    @Override
    public String kind() {
        return "modal";
    }

    @Override
    public boolean runsOutliveWorker() {
        return true;
    }

    /**
     * Returns once the Sandbox exists (the session is {@code queued} until then): first the
     * session's volume must be in Modal, then Sandbox.create must have returned.
     */
    @Override
    public AgentRun launch(AgentJob job) throws IOException {
        bridge.uploads().await(job.sessionId(), ModalVolumeStore.PUT_TIMEOUT);
        var env = new HashMap<String, String>();
        env.put(TOKEN_ENV, job.token());
        env.put(CONTEXT_ENV, mapper.writeValueAsString(job.context()));
        config.openaiApiKey().ifPresent(k -> env.put("OPENAI_API_KEY", k));
        config.openaiBaseUrl().ifPresent(u -> env.put("OPENAI_BASE_URL", u.toString()));
        if (config.llmEnabled()) env.put("OPENAI_MODEL", config.openaiModel());

        var args = new ArrayList<>(List.of("run", "--app", APP, "--name", sandboxName(job.sessionId()),
                "--volume", job.volume(), "--mount", MOUNT,
                "--timeout", Long.toString(Math.max(60, job.timeout().toSeconds() + 60)),
                "--cpu", Double.toString(CPU), "--memory", Integer.toString(MEMORY_MIB),
                "--sync-path", SYNC_PATH, "--sync-wait", Long.toString(SYNC_WAIT.toSeconds())));
        for (var name : env.keySet()) args.addAll(List.of("--env", name));
        args.add("--");
        args.addAll(config.scale().modalAgentJava());
        // the supervisor starts the agent again without a file DuckDB crashed on (no worker process watches a Sandbox's agent)
        args.addAll(List.of(AgentSupervisor.class.getName(), "--session-id=" + job.sessionId(),
                "--volume=" + MOUNT, "--log-url=" + job.logUrl()));

        var logFile = Files.createDirectories(config.dataDir().resolve("agents")).resolve(job.sessionId() + ".log");
        var run = new SandboxRun(bridge.start(args, env), logFile, job);
        try {
            // started, or an exit before it (the exit then tells the session why)
            CompletableFuture.anyOf(run.started, run.exit).get(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            run.cancel();
            throw new IOException("the Modal Sandbox was not created within " + CREATE_TIMEOUT);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            run.cancel();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the Modal Sandbox was created");
        }
        return run;
    }

    /** One bridge call for all of them: which Sandboxes are gone, and whether each left its report. */
    @Override
    public Map<String, AgentExit> endedRuns(List<String> sessionIds) throws IOException {
        var args = new ArrayList<>(List.of("status", "--app", APP, "--sync-path", SYNC_PATH,
                "--sync-wait", Long.toString(SYNC_WAIT.toSeconds() / 2)));
        var byName = new HashMap<String, String>();
        for (var id : sessionIds) {
            byName.put(sandboxName(id), id);
            args.addAll(List.of("--run", sandboxName(id) + "=" + SessionIds.volumeName(id)));
        }
        var result = bridge.call(args, Map.of(), SYNC_WAIT.multipliedBy(Math.max(1, sessionIds.size())).plusMinutes(1));
        if (result.exitCode() != 0) throw new IOException("the Modal bridge could not see the Sandboxes: " + result.error());
        var ended = new HashMap<String, AgentExit>();
        for (var line : result.lines()) {
            var id = byName.get(line.path("name").asText());
            if (id == null || !line.path("state").asText().equals("gone")) continue;
            ended.put(id, line.path("report").asBoolean()
                    ? new AgentExit(AgentExit.Kind.SUCCEEDED, 0, "")
                    : new AgentExit(AgentExit.Kind.FAILED, -1, "the agent's Sandbox ended while no worker watched it, "
                            + "and left no " + SYNC_PATH + " (its output is in Modal's logs of " + sandboxName(id) + ")"));
        }
        return ended;
    }

    @Override
    public void stop(String sessionId) throws IOException {
        var result = bridge.call(List.of("terminate", "--app", APP, "--name", sandboxName(sessionId)), Map.of(), Duration.ofMinutes(2));
        if (result.exitCode() != 0) throw new IOException("the Modal Sandbox could not be terminated: " + result.error());
    }

    private final class SandboxRun implements AgentRun {
        private final Process process;
        final CompletableFuture<String> started = new CompletableFuture<>();
        final CompletableFuture<AgentExit> exit = new CompletableFuture<>();
        private final AtomicReference<AgentExit.Kind> stoppedAs = new AtomicReference<>();
        private volatile boolean detached;

        SandboxRun(Process process, Path logFile, AgentJob job) {
            this.process = process;
            Thread.ofVirtual().name("sandbox-" + job.sessionId()).start(() -> follow(logFile));
            Thread.ofVirtual().name("sandbox-timeout-" + job.sessionId()).start(() -> {
                try {
                    if (!exit.isDone() && !process.waitFor(job.timeout().toMillis(), TimeUnit.MILLISECONDS)) stop(AgentExit.Kind.TIMED_OUT);
                } catch (InterruptedException ignored) {
                    // the worker is closing
                }
            });
        }

        private void follow(Path logFile) {
            var tail = new ArrayDeque<String>();
            Integer code = null;
            String status = null;
            String error = null;
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    var json = bridge.parse(line);
                    String text = json == null ? line : switch (json.path("event").asText()) {
                        case "stdout", "stderr" -> json.path("line").asText();
                        case "started" -> {
                            started.complete(json.path("sandbox_id").asText());
                            yield "[labdesk] Sandbox " + json.path("sandbox_id").asText() + " (" + json.path("name").asText() + ") started";
                        }
                        case "exit" -> {
                            code = json.path("code").asInt();
                            status = json.path("status").asText("ok");
                            yield null;
                        }
                        case "error" -> {
                            error = json.path("error").asText() + ": " + json.path("message").asText();
                            yield error;
                        }
                        default -> null;
                    };
                    if (text == null) continue;
                    log.write(text);
                    log.write('\n');
                    log.flush();
                    tail.addLast(text);
                    if (tail.size() > TAIL_LINES) tail.removeFirst();
                }
                process.waitFor();
            } catch (IOException | InterruptedException e) {
                error = e.toString();
            }
            if (detached) return; // the Sandbox goes on; another instance sees it end
            exit.complete(exitOf(code, status, error, tail));
        }

        private AgentExit exitOf(Integer code, String status, String error, ArrayDeque<String> tail) {
            int c = code == null ? -1 : code;
            var stopped = stoppedAs.get();
            if (stopped != null) return new AgentExit(stopped, c, stopped == AgentExit.Kind.TIMED_OUT
                    ? "the agent ran longer than its time-out" : "cancelled");
            if ("timeout".equals(status)) return new AgentExit(AgentExit.Kind.TIMED_OUT, c, "the agent's Sandbox reached its Modal timeout");
            if ("terminated".equals(status)) return new AgentExit(AgentExit.Kind.CANCELLED, c, "the agent's Sandbox was terminated");
            if (code != null && code == 0) return new AgentExit(AgentExit.Kind.SUCCEEDED, 0, "");
            return new AgentExit(AgentExit.Kind.FAILED, c, error != null ? "the Modal sandbox failed: " + error
                    : "the agent exited with " + code + ":\n" + String.join("\n", tail));
        }

        private void stop(AgentExit.Kind as) {
            // SIGTERM through the handle, which leaves the pipe open: the bridge terminates the Sandbox and says so
            if (stoppedAs.compareAndSet(null, as)) process.toHandle().destroy();
        }

        @Override
        public CompletableFuture<AgentExit> exit() {
            return exit;
        }

        @Override
        public void cancel() {
            stop(AgentExit.Kind.CANCELLED);
        }

        /** SIGKILL: the bridge dies without a word to Modal, and the Sandbox runs on. */
        @Override
        public void detach() {
            if (exit.isDone()) return;
            detached = true;
            process.destroyForcibly();
        }
    }
}
