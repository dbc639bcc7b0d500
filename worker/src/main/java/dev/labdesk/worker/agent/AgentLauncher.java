package dev.labdesk.worker.agent;

import dev.labdesk.worker.agent.AgentRun.AgentExit;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Starts the dataset-analysis agent for a session. Two implementations: a child JVM running
 * {@code AgentMain} on this machine, and a Modal Sandbox with the session volume mounted.
 */
public interface AgentLauncher {
    /** {@code process} or {@code modal}. */
    String kind();

    AgentRun launch(AgentJob job) throws IOException;

    /**
     * Whether a run goes on when the worker that launched it stops (a Modal Sandbox does, a child JVM
     * does not). Then the worker detaches its runs when it closes, and every instance watches for the
     * end of runs no instance supervises ({@link #endedRuns}).
     */
    default boolean runsOutliveWorker() {
        return false;
    }

    /** How the runs of these sessions ended, for those that have; runs still going are left out. */
    default Map<String, AgentExit> endedRuns(List<String> sessionIds) throws IOException {
        return Map.of();
    }

    /** Stops the session's run from this instance, whichever instance launched it (a no-op when it cannot). */
    default void stop(String sessionId) throws IOException {
    }
}
