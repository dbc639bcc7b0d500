package dev.labdesk.worker.agent;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent's entry point where no worker process watches it (a Modal Sandbox): runs {@link AgentMain}
 * as a child JVM with the same java, options and class path, and starts it again, at most
 * {@link ProcessAgentRun#MAX_RESTARTS} times, when it died while DuckDB read a file (see
 * {@link EngineGuard}), that file then listed as not read. Its exit code is the agent's last one.
 * A SIGTERM (the Sandbox stopping) is passed on to the agent, which then flushes its log.
 */
public final class AgentSupervisor {
    private AgentSupervisor() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(AgentMain.class.getName(), args));
    }

    /** @param mainClass the agent's main class: {@link AgentMain}, or in tests one that crashes for real */
    static int run(String mainClass, String[] args) throws IOException, InterruptedException {
        var stateDir = Files.createTempDirectory("labdesk-agent-state-");
        var command = new ArrayList<String>();
        command.add(ProcessAgentLauncher.javaBinary());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        command.add("--state-dir=" + stateDir);
        var current = new AtomicReference<Process>();
        var stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            stopping.set(true); // an agent stopped mid-file was not crashed by it: no restart
            var p = current.get();
            if (p == null || !p.isAlive()) return;
            p.destroy();
            try {
                if (!p.waitFor(ProcessAgentRun.GRACE.toMillis(), TimeUnit.MILLISECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }));
        try {
            for (int restarts = 0; ; restarts++) {
                var p = new ProcessBuilder(command).inheritIO().start();
                current.set(p);
                int code = p.waitFor();
                if (code == 0 || stopping.get() || restarts >= ProcessAgentRun.MAX_RESTARTS) return code;
                var file = EngineGuard.recordCrash(stateDir, code);
                if (file.isEmpty()) return code;
                System.err.println("[labdesk: the agent died (exit code " + code + ") while the data engine read " + file.get()
                        + "; starting it again without that file]");
            }
        } finally {
            Scratch.deleteQuietly(stateDir);
        }
    }
}
