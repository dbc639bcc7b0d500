package dev.labdesk.worker.events.ingest;

/**
 * The {@code Idempotency-Key}s of {@code POST /log} batches already appended, per session: an agent
 * that resends a batch whose answer it lost (a cut connection, a timeout) must not log it twice.
 * In the worker's database for one worker, in Redis when several share the sessions, in memory for tests.
 */
public interface LogBatchKeys {
    /** What a claim found: a new key, the resend of the batch that took it, or another batch under the same key. */
    enum Claim {
        NEW, REPLAY, OTHER_BODY;

        /** The claim of a key already taken with {@code stored} (null: taken before bodies were hashed) by a body hashing to {@code hash}. */
        public static Claim taken(String stored, String hash) {
            return stored == null || stored.equals(hash) ? REPLAY : OTHER_BODY;
        }
    }

    /** Marks {@code key} as taken for the session by the body whose SHA-256 (hex) is {@code bodyHash}. */
    Claim claim(String sessionId, String key, String bodyHash);

    /** Gives {@code key} back after its batch failed to append, so that the resend is appended. */
    void release(String sessionId, String key);
}
