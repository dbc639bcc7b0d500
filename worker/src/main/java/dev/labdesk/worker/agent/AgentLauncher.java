package dev.labdesk.worker.agent;

import java.io.IOException;

/**
 * Starts the dataset-analysis agent for a session. Two implementations: a child JVM running
 * {@code AgentMain} on this machine, and a Modal Sandbox with the session volume mounted.
 */
public interface AgentLauncher {
    /** {@code process} or {@code modal}. */
    String kind();

    AgentRun launch(AgentJob job) throws IOException;
}
