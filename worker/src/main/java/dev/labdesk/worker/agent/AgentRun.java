package dev.labdesk.worker.agent;

import java.util.concurrent.CompletableFuture;

/** A running agent. Its exit completes once, whether it ended, crashed, timed out or was cancelled. */
public interface AgentRun {
    CompletableFuture<AgentExit> exit();

    /** Asks the agent to stop; its exit then completes with {@link AgentExit.Kind#CANCELLED}. */
    void cancel();

    /**
     * The worker is closing: lets go of a run that outlives it ({@link AgentLauncher#runsOutliveWorker()}),
     * whose exit then never completes here. A run that cannot outlive its worker is cancelled.
     */
    default void detach() {
        cancel();
    }

    record AgentExit(Kind kind, int code, String detail) {
        public enum Kind { SUCCEEDED, FAILED, TIMED_OUT, CANCELLED }
    }
}
