package dev.labdesk.worker.events;

/**
 * The {@code Idempotency-Key}s of {@code POST /log} batches already appended, per session: an agent
 * that resends a batch whose answer it lost (a cut connection, a timeout) must not log it twice.
 * In the worker's database for one worker, in Redis when several share the sessions, in memory for tests.
 */
public interface LogBatchKeys {
    /** Marks {@code key} as taken for the session; false when an earlier post took it. */
    boolean claim(String sessionId, String key);

    /** Gives {@code key} back after its batch failed to append, so that the resend is appended. */
    void release(String sessionId, String key);
}
