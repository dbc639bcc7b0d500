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
 * An agent that dies while DuckDB reads a file (a native crash, see {@link EngineGuard}) is started
 * again, at most {@link #MAX_RESTARTS} times, skipping each file it crashed on; the time-out covers all runs.
 */
final class ProcessAgentRun implements AgentRun {
    static final Duration GRACE = Duration.ofSeconds(2);
    static final int MAX_RESTARTS = 5;
    private static final long MAX_LOG_BYTES = 10L << 20;

    private final ProcessBuilder builder;
    private final OutputStream log;
    private final Path stateDir;
    private final Duration timeout;
    private final OutputTail tail = new OutputTail(50);
    private final CompletableFuture<AgentExit> exit = new CompletableFuture<>();
    private final AtomicReference<AgentExit.Kind> stopped = new AtomicReference<>();
    private final Runnable cleanup;
    private long logged;
    /** Set by the first stop (cancel, time-out): an agent being stopped is never started again. */
    private boolean stopping;
    /** The agent process now; replaced only by a restart, under this run's lock. */
    private volatile Process process;
    private volatile Thread pump;

    private ProcessAgentRun(ProcessBuilder builder, Process process, OutputStream log, Duration timeout, Runnable cleanup, Path stateDir) {
        this.builder = builder;
        this.process = process;
        this.log = log;
        this.timeout = timeout;
        this.cleanup = cleanup;
        this.stateDir = stateDir;
        this.pump = pumpOf(process);
        Thread.ofVirtual().name("agent-watch-" + process.pid()).start(this::watch);
    }

    /**
     * @param cleanup  runs once the process is gone, before {@link #exit()} completes
     * @param stateDir where the agent notes the file it reads ({@code --state-dir}); null: never restarted
     */
    static ProcessAgentRun start(ProcessBuilder builder, Path logFile, Duration timeout, Runnable cleanup, Path stateDir) throws IOException {
        Files.createDirectories(logFile.getParent());
        var log = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        Process process;
        try {
            process = startProcess(builder);
        } catch (IOException e) {
            log.close();
            throw e;
        }
        return new ProcessAgentRun(builder, process, log, timeout, cleanup, stateDir);
    }

    private static Process startProcess(ProcessBuilder builder) throws IOException {
        var process = builder.start();
        process.getOutputStream().close(); // the agent reads nothing from stdin
        return process;
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
        long deadline = System.nanoTime() + timeout.toNanos();
        int restarts = 0;
        try {
            while (true) {
                var current = process;
                if (!current.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) stop(AgentExit.Kind.TIMED_OUT);
                current.waitFor();
                pump.join(GRACE);
                if (restarts >= MAX_RESTARTS || !restartAfterCrash(current.exitValue())) break;
                restarts++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            closeLog();
            cleanup.run();
        } finally {
            exit.complete(outcome());
        }
    }

    /** Starts the agent again when it died reading a file (now skipped); false when there is nothing to retry. */
    private synchronized boolean restartAfterCrash(int code) {
        if (code == 0 || stateDir == null || stopping) return false;
        var file = EngineGuard.recordCrash(stateDir, code);
        if (file.isEmpty()) return false;
        var note = "[labdesk: the agent died (exit code " + code + ") while the data engine read " + file.get()
                + "; starting it again without that file]";
        tail.add(note);
        write(note);
        try {
            process = startProcess(builder);
        } catch (IOException e) {
            tail.add("[labdesk: the agent could not be started again: " + e.getMessage() + "]");
            return false;
        }
        pump = pumpOf(process);
        return true;
    }

    private AgentExit outcome() {
        var last = process;
        int code = last.isAlive() ? -1 : last.exitValue();
        var reason = stopped.get();
        if (reason == AgentExit.Kind.CANCELLED) return new AgentExit(reason, code, "the agent was cancelled");
        if (reason == AgentExit.Kind.TIMED_OUT)
            return new AgentExit(reason, code, "agent ran longer than " + human(timeout) + " and was stopped");
        if (code == 0) return new AgentExit(AgentExit.Kind.SUCCEEDED, 0, "agent finished");
        var line = tail.lastMeaningful();
        return new AgentExit(AgentExit.Kind.FAILED, code, "agent exited with code " + code + (line == null ? "" : ": " + line));
    }

    private void stop(AgentExit.Kind why) {
        Process current;
        synchronized (this) { // not in the middle of a restart: the process stopped is the one that runs
            stopping = true;
            current = process;
            if (!current.isAlive() || !stopped.compareAndSet(null, why)) current = null;
        }
        if (current == null) {
            ProcessTrees.awaitExit(process.toHandle(), GRACE.multipliedBy(2));
            return;
        }
        ProcessTrees.stop(current.toHandle(), GRACE);
    }

    private Thread pumpOf(Process p) {
        return Thread.ofVirtual().name("agent-output-" + p.pid()).start(() -> pump(p));
    }

    private void pump(Process p) {
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                tail.add(line);
                write(line);
            }
        } catch (IOException e) {
            tail.add("[labdesk: agent output unreadable: " + e.getMessage() + "]");
        }
    }

    /** One line into the agent's log file, up to its bound. */
    private synchronized void write(String line) {
        if (logged >= MAX_LOG_BYTES) return;
        try {
            var bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            log.write(bytes);
            log.flush();
            logged += bytes.length;
            if (logged >= MAX_LOG_BYTES) log.write("[labdesk: agent output truncated here]\n".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            logged = MAX_LOG_BYTES; // the log file is unwritable: keep the tail, stop trying
        }
    }

    private synchronized void closeLog() {
        try {
            log.close();
        } catch (IOException ignored) {
            // the output is in the tail as well
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
