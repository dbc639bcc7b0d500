package dev.labdesk.worker.agent;

import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

import dev.labdesk.model.Json;
import dev.labdesk.worker.WorkerConfig;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs each agent as a child JVM on this machine: the same java binary and class path as the
 * worker (so it works from the shaded jar and from a test run alike; passed as {@code CLASSPATH}),
 * main class {@link AgentMain}.
 * The token travels in the environment, the context in a file under {@code {dataDir}/agents/},
 * outside the volume; the agent's output is kept in {@code {dataDir}/agents/{session_id}.log}.
 */
public final class ProcessAgentLauncher implements AgentLauncher {
    // java.nio opened and sun.misc.Unsafe allowed (no warning on stderr): Arrow's memory, for Arrow/Feather files
    private static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED", "-Xmx512m",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
            "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true");

    private static final Optional<Path> NICE = executable("/usr/bin/nice", "/bin/nice");
    private static final Optional<Path> CHRT = executable("/usr/bin/chrt", "/bin/chrt");

    private final WorkerConfig config;
    private final String mainClass;
    private Boolean idleClass; // probed at the first launch

    public ProcessAgentLauncher(WorkerConfig config) {
        this(config, AgentMain.class.getName());
    }

    /** With another main class: tests start real processes that crash, fail or hang. */
    ProcessAgentLauncher(WorkerConfig config, String mainClass) {
        this.config = config;
        this.mainClass = mainClass;
    }

    @Override
    public String kind() {
        return "process";
    }

    @Override
    public AgentRun launch(AgentJob job) throws IOException {
        var agents = config.dataDir().resolve("agents");
        var workDir = Files.createDirectories(agents.resolve(job.sessionId()));
        var contextFile = workDir.resolve("context.json");
        // a mapper per launch, not per launcher: the launcher is built before /health can be answered
        // (see FrontDoor), and a cold start should not wait for Jackson's first set-up
        Json.newMapper().writeValue(contextFile.toFile(), job.context());

        // DuckDB unpacks its native library into java.io.tmpdir on every start and only deletes it
        // at a normal exit: a private temp directory, removed when the agent is gone, leaves nothing behind
        var tmp = Files.createDirectories(workDir.resolve("tmp"));
        var command = new ArrayList<String>();
        // The analysis is background work that must not slow the uploads, streams and chats served meanwhile:
        // Linux's idle class (chrt -i) gives it only CPU time nobody else wants, which nice alone does not
        // (docs/BENCHMARKS.md); nice stays for systems without chrt. Both exec: the pid stays the agent's.
        NICE.ifPresent(nice -> command.addAll(List.of(nice.toString(), "-n", "10")));
        if (idleClassAllowed()) command.addAll(List.of(CHRT.orElseThrow().toString(), "--idle", "0"));
        command.add(javaBinary());
        command.addAll(JVM_OPTIONS);
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(List.of(mainClass,
                "--session-id=" + job.sessionId(), "--volume=" + job.volumePath().toAbsolutePath(),
                "--log-url=" + job.logUrl(), "--context-file=" + contextFile, "--state-dir=" + workDir.toAbsolutePath()));
        var builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        environment(builder.environment(), job);
        // notes of an earlier launch into this directory are not this run's
        Files.deleteIfExists(workDir.resolve(EngineGuard.SKIP));
        Files.deleteIfExists(workDir.resolve(EngineGuard.READING));
        return ProcessAgentRun.start(builder, agents.resolve(job.sessionId() + ".log"), job.timeout(), () -> Scratch.deleteQuietly(tmp), workDir);
    }

    private void environment(Map<String, String> env, AgentJob job) {
        // only what the agent needs: not the worker's own secrets it does not use
        var keep = List.of("PATH", "HOME", "TMPDIR", "TZ", "LANG", "LC_ALL", "LC_CTYPE");
        env.keySet().retainAll(keep);
        // Java derives file-name encoding from the locale: without UTF-8, names with accents break
        var locale = env.getOrDefault("LC_ALL", env.getOrDefault("LC_CTYPE", env.getOrDefault("LANG", "")));
        if (!locale.toUpperCase(Locale.ROOT).replace("-", "").contains("UTF8")) env.put("LC_ALL", "C.UTF-8");
        env.put(AgentArgs.TOKEN_ENV, job.token());
        // the class path travels in the environment: on the command line it can be long enough that
        // ps and ProcessHandle.Info show nothing after it, the session id included
        env.put("CLASSPATH", absoluteClassPath(System.getProperty("java.class.path")));
        config.openaiApiKey().ifPresent(k -> env.put("OPENAI_API_KEY", k));
        config.openaiBaseUrl().ifPresent(u -> env.put("OPENAI_BASE_URL", u.toString()));
        if (config.llmEnabled()) env.put("OPENAI_MODEL", config.openaiModel());
    }

    /**
     * Whether chrt can put a process in the idle class here: a container's seccomp profile may
     * refuse it, and an agent that never starts would be far worse than one at nice +10.
     */
    private synchronized boolean idleClassAllowed() {
        if (idleClass == null) idleClass = CHRT.map(ProcessAgentLauncher::probe).orElse(false);
        return idleClass;
    }

    private static boolean probe(Path chrt) {
        try {
            var p = new ProcessBuilder(chrt.toString(), "--idle", "0", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(5, TimeUnit.SECONDS)) return p.exitValue() == 0;
            p.destroyForcibly();
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> executable(String... candidates) {
        return Stream.of(candidates).map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * The java of this JVM's own runtime. Not this process's command: inside an installed app
     * (jpackage) that is the app's native launcher ({@code /opt/labdesk/bin/Labdesk}), which would
     * start a second app instead of an agent; the bundled runtime's {@code bin/java} is the right one.
     */
    static String javaBinary() {
        var exe = System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java";
        var runtimeJava = Path.of(System.getProperty("java.home"), "bin", exe);
        if (Files.isExecutable(runtimeJava)) return runtimeJava.toString();
        return ProcessHandle.current().info().command().orElse(runtimeJava.toString());
    }

    /** The agent runs in another directory, so a relative entry such as {@code worker/target/labdesk-worker.jar} would not resolve. */
    static String absoluteClassPath(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
