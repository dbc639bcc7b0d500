package dev.labdesk.worker.modal;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs each agent in a Modal Sandbox with the session's Modal volume mounted at {@link #MOUNT},
 * through the bridge's {@code run} command: the same {@code AgentMain} as the local launcher, posting
 * its log to the worker's public URL with the run token. The token, the context and the model key
 * reach the Sandbox as a Modal Secret built from the bridge's environment, never as arguments.
 * The Sandbox's output is kept in {@code {dataDir}/agents/{session_id}.log}.
 */
public final class ModalSandboxLauncher implements AgentLauncher {
    public static final String MOUNT = "/mnt/dataset";
    static final String APP = "labdesk-agents";
    private static final String TOKEN_ENV = "LABDESK_RUN_TOKEN";
    private static final String CONTEXT_ENV = "LABDESK_AGENT_CONTEXT";
    private static final int TAIL_LINES = 20;

    private final WorkerConfig config;
    private final ModalBridge bridge;
    private final ObjectMapper mapper;

    public ModalSandboxLauncher(WorkerConfig config, ModalBridge bridge, ObjectMapper mapper) {
        this.config = config;
        this.bridge = bridge;
        this.mapper = mapper;
    }

    @Override
    public String kind() {
        return "modal";
    }

    @Override
    public AgentRun launch(AgentJob job) throws IOException {
        var env = new HashMap<String, String>();
        env.put(TOKEN_ENV, job.token());
        env.put(CONTEXT_ENV, mapper.writeValueAsString(job.context()));
        config.openaiApiKey().ifPresent(k -> env.put("OPENAI_API_KEY", k));
        config.openaiBaseUrl().ifPresent(u -> env.put("OPENAI_BASE_URL", u.toString()));
        if (config.llmEnabled()) env.put("OPENAI_MODEL", config.openaiModel());

        var args = new ArrayList<>(List.of("run", "--app", APP, "--volume", job.volume(), "--mount", MOUNT,
                "--timeout", Long.toString(Math.max(60, job.timeout().toSeconds() + 60))));
        workerJar().ifPresent(jar -> args.addAll(List.of("--jar", jar.toString())));
        for (var name : env.keySet()) args.addAll(List.of("--env", name));
        args.add("--");
        args.addAll(config.scale().modalAgentJava());
        // the supervisor starts the agent again without a file DuckDB crashed on (no worker process watches a Sandbox's agent)
        args.addAll(List.of(dev.labdesk.worker.agent.AgentSupervisor.class.getName(), "--session-id=" + job.sessionId(),
                "--volume=" + MOUNT, "--log-url=" + job.logUrl()));

        var logFile = Files.createDirectories(config.dataDir().resolve("agents")).resolve(job.sessionId() + ".log");
        var process = bridge.start(args, env);
        return new SandboxRun(process, logFile, job);
    }

    /** The jar this worker runs from, which the Sandbox image needs for AgentMain (absent in a test run from classes). */
    private static java.util.Optional<Path> workerJar() {
        try {
            var location = Path.of(ModalSandboxLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toString().endsWith(".jar") ? java.util.Optional.of(location) : java.util.Optional.empty();
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }

    private final class SandboxRun implements AgentRun {
        private final Process process;
        private final CompletableFuture<AgentExit> exit = new CompletableFuture<>();
        private final AtomicReference<AgentExit.Kind> stoppedAs = new AtomicReference<>();

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
            String error = null;
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    var json = bridge.parse(line);
                    String text = json == null ? line : switch (json.path("event").asText()) {
                        case "stdout" -> json.path("line").asText();
                        case "exit" -> {
                            code = json.path("code").asInt();
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
            var stopped = stoppedAs.get();
            if (stopped != null) exit.complete(new AgentExit(stopped, code == null ? -1 : code, stopped == AgentExit.Kind.TIMED_OUT
                    ? "the agent ran longer than its time-out" : "cancelled"));
            else if (code != null && code == 0) exit.complete(new AgentExit(AgentExit.Kind.SUCCEEDED, 0, ""));
            else exit.complete(new AgentExit(AgentExit.Kind.FAILED, code == null ? -1 : code,
                    error != null ? "the Modal sandbox failed: " + error
                            : "the agent exited with " + code + ": " + String.join("\n", tail)));
        }

        private void stop(AgentExit.Kind as) {
            if (stoppedAs.compareAndSet(null, as)) process.destroy(); // SIGTERM: the bridge terminates the Sandbox
        }

        @Override
        public CompletableFuture<AgentExit> exit() {
            return exit;
        }

        @Override
        public void cancel() {
            stop(AgentExit.Kind.CANCELLED);
        }
    }
}
