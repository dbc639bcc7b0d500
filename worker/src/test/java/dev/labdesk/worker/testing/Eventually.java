package dev.labdesk.worker.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Waits for something another thread makes true, failing with {@code what} if it is still false after the limit. */
public final class Eventually {
    private Eventually() {}

    public static void within(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as(what + ": still not so after " + limit).isNegative();
            Thread.sleep(5);
        }
    }
}
