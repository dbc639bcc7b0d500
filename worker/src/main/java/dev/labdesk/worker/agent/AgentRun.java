package dev.labdesk.worker.agent;

import java.util.concurrent.CompletableFuture;

/** A running agent. Its exit completes once, whether it ended, crashed, timed out or was cancelled. */
public interface AgentRun {
    CompletableFuture<AgentExit> exit();

    /** Asks the agent to stop; its exit then completes with {@link AgentExit.Kind#CANCELLED}. */
    void cancel();

    record AgentExit(Kind kind, int code, String detail) {
        public enum Kind { SUCCEEDED, FAILED, TIMED_OUT, CANCELLED }
    }
}
