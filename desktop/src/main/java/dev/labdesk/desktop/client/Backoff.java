package dev.labdesk.desktop.client;

import java.time.Duration;

/**
 * How long to wait before the next attempt to reach the worker: doubling from {@code first}, at most
 * {@code max}. One rule for the live log, the chat and uploads, so they come back together after an outage.
 */
record Backoff(Duration first, Duration max) {
    /** The desktop's: 250 ms, 500 ms, 1 s … up to 5 s. */
    static final Backoff RECONNECT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));

    /** The wait before attempt {@code attempt} (1 is the first retry). */
    Duration delay(int attempt) {
        int doublings = Math.clamp(attempt - 1, 0, 62);
        long firstMs = first.toMillis(), maxMs = max.toMillis();
        // first <= max >> d means first << d <= max, so the shift below cannot overflow
        return firstMs > (maxMs >> doublings) ? max : Duration.ofMillis(firstMs << doublings);
    }
}
