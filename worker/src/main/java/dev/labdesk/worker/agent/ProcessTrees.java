package dev.labdesk.worker.agent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping an agent's process and what it started, the same for a cancel, a timeout and a previous worker's leftovers. */
public final class ProcessTrees {
    private static final Duration DESCENDANT_WAIT = Duration.ofMillis(500);

    private ProcessTrees() {}

    /** Its descendants at once, then SIGTERM, then SIGKILL when it has not exited after {@code grace}. */
    public static void stop(ProcessHandle process, Duration grace) {
        // snapshot first: once the agent is gone its children are re-parented and no longer its descendants
        var descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        if (!awaitExit(process, grace)) {
            process.destroyForcibly();
            awaitExit(process, grace);
        }
        descendants.forEach(d -> awaitExit(d, DESCENDANT_WAIT));
    }

    /** Whether the process has exited within {@code wait}; an interrupt is kept and answers at once. */
    public static boolean awaitExit(ProcessHandle process, Duration wait) {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (Exception e) {
            return !process.isAlive();
        }
    }
}
