package dev.labdesk.worker.agent;

/** PLACEHOLDER: replaced by its implementation. */
public final class ProcessAgentLauncher implements AgentLauncher {
    public ProcessAgentLauncher(dev.labdesk.worker.WorkerConfig config) {}
    public String kind() { return "process"; }
    public AgentRun launch(AgentJob job) { throw new UnsupportedOperationException(); }
}
