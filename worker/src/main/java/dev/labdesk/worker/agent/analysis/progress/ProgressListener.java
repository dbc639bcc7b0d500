package dev.labdesk.worker.agent.analysis.progress;

/** Where progress goes: the agent's {@code progress} events ({@code LogSink::progress}). */
@FunctionalInterface
public interface ProgressListener {
    void progress(String step, long done, long total);
}
