package dev.labdesk.worker.upload;

import dev.labdesk.model.Problem;

import java.time.Duration;

/** A bound that clears by itself (uploads in flight, pending plans): answered 429 with {@code Retry-After}. */
public final class RetryLaterException extends RuntimeException {
    private final transient Problem problem;
    private final Duration after;

    RetryLaterException(String detail, Duration after) {
        super(detail);
        this.problem = Problem.of(429, "Too many requests", detail);
        this.after = after;
    }

    public Problem problem() {
        return problem;
    }

    /** Whole seconds, at least 1, as {@code Retry-After} wants them. */
    public String retryAfterSeconds() {
        return Long.toString(Math.max(1, after.toSeconds()));
    }
}
