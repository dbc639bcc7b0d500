package dev.labdesk.worker.redis;

/**
 * Redis did not answer in time or is not connected. Requests that needed it fail with 503 and this
 * message (see {@link RedisRoutes}); nothing was stored by the command that failed.
 */
public final class RedisUnavailableException extends RuntimeException {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
