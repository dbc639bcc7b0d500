package dev.labdesk.worker.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One agent child process. A watcher thread waits for it up to the time-out; a pump thread copies
 * its output to the log file and a short tail. Stopping (cancel, time-out) kills the process's
 * descendants, asks the agent to stop (SIGTERM, so it can flush its log), and kills it after a
 * grace period. Each child is waited for, so none is left a zombie. {@link #exit()} completes once.
 */
final class ProcessAgentRun implements AgentRun {
    static final Duration GRACE = Duration.ofSeconds(2);
    private static final long MAX_LOG_BYTES = 10L << 20;

    private final Process process;
    private final Duration timeout;
    private final OutputTail tail = new OutputTail(50);
    private final CompletableFuture<AgentExit> exit = new CompletableFuture<>();
    private final AtomicReference<AgentExit.Kind> stopped = new AtomicReference<>();
    private final Thread pump;
    private final Runnable cleanup;

    private ProcessAgentRun(Process process, OutputStream log, Duration timeout, Runnable cleanup) {
        this.process = process;
        this.timeout = timeout;
        this.cleanup = cleanup;
        this.pump = Thread.ofVirtual().name("agent-output-" + process.pid()).start(() -> pump(log));
        Thread.ofVirtual().name("agent-watch-" + process.pid()).start(this::watch);
    }

    /** @param cleanup runs once the process is gone, before {@link #exit()} completes */
    static ProcessAgentRun start(ProcessBuilder builder, Path logFile, Duration timeout, Runnable cleanup) throws IOException {
        Files.createDirectories(logFile.getParent());
        var log = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            log.close();
            throw e;
        }
        process.getOutputStream().close(); // the agent reads nothing from stdin
        return new ProcessAgentRun(process, log, timeout, cleanup);
    }

    @Override
    public CompletableFuture<AgentExit> exit() {
        return exit;
    }

    /** Stops the agent and returns once it is gone (at most about twice {@link #GRACE}). */
    @Override
    public void cancel() {
        stop(AgentExit.Kind.CANCELLED);
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    List<String> outputTail() {
        return tail.lines();
    }

    private void watch() {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) stop(AgentExit.Kind.TIMED_OUT);
            process.waitFor();
            pump.join(GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            cleanup.run();
        } finally {
            exit.complete(outcome());
        }
    }

    private AgentExit outcome() {
        int code = process.isAlive() ? -1 : process.exitValue();
        var reason = stopped.get();
        if (reason == AgentExit.Kind.CANCELLED) return new AgentExit(reason, code, "the agent was cancelled");
        if (reason == AgentExit.Kind.TIMED_OUT)
            return new AgentExit(reason, code, "agent ran longer than " + human(timeout) + " and was stopped");
        if (code == 0) return new AgentExit(AgentExit.Kind.SUCCEEDED, 0, "agent finished");
        var last = tail.lastMeaningful();
        return new AgentExit(AgentExit.Kind.FAILED, code, "agent exited with code " + code + (last == null ? "" : ": " + last));
    }

    private void stop(AgentExit.Kind why) {
        if (!process.isAlive() || !stopped.compareAndSet(null, why)) {
            awaitQuietly(process.toHandle(), GRACE.multipliedBy(2));
            return;
        }
        // snapshot first: once the agent is gone its children are re-parented and no longer its descendants
        var descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        if (!awaitQuietly(process.toHandle(), GRACE)) {
            process.destroyForcibly();
            awaitQuietly(process.toHandle(), GRACE);
        }
        descendants.forEach(d -> awaitQuietly(d, Duration.ofMillis(500)));
    }

    private static boolean awaitQuietly(ProcessHandle p, Duration wait) {
        try {
            p.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        } catch (Exception e) {
            return !p.isAlive();
        }
    }

    private void pump(OutputStream log) {
        long written = 0;
        try (log; var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                tail.add(line);
                if (written < MAX_LOG_BYTES) {
                    var bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                    log.write(bytes);
                    log.flush();
                    written += bytes.length;
                    if (written >= MAX_LOG_BYTES) log.write("[labdesk: agent output truncated here]\n".getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            tail.add("[labdesk: agent output unreadable: " + e.getMessage() + "]");
        }
    }

    /** 1h0m, 5m30s, 2s, 300ms: the way the configuration is written. */
    static String human(Duration d) {
        if (d.toHours() > 0) return d.toHours() + "h" + d.toMinutesPart() + "m";
        if (d.toMinutes() > 0) return d.toMinutes() + "m" + d.toSecondsPart() + "s";
        if (d.toSeconds() > 0) return d.toSeconds() + "s";
        return d.toMillis() + "ms";
    }
}
