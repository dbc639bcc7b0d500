package dev.labdesk.worker.sqlite;

/**
 * The database could not take a write (a full or failing disk) or the worker is closing: nothing of
 * the failed write was stored. Answered 503 with {@code Retry-After} ({@link StoreRoutes}), so an agent
 * retries its batch rather than losing it.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
