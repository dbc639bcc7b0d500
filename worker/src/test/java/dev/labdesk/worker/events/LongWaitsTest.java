package dev.labdesk.worker.events;

import dev.labdesk.worker.testing.Eventually;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/** Waits of a second or more woken by the shared tick: they end at their deadline with nobody signalling, and at an arrival at once. */
class LongWaitsTest {
    private final String tickerName = "long-waits-test-" + java.util.UUID.randomUUID(); // this test's own, not a neighbour's still winding down
    private final LongWaits waits = new LongWaits(tickerName);
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition appended = lock.newCondition();

    @Test
    void aLongWaitNobodySignalsEndsAtItsDeadlineWithinATickAndTheTickerStopsAfterIt() throws Exception {
        long start = System.nanoTime();
        lock.lock();
        try {
            waits.await(lock, appended, Duration.ofMillis(1_500), () -> false);
        } finally {
            lock.unlock();
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(1_500).isLessThan(1_500 + 8 * LongWaits.TICK.toMillis());
        assertThat(waits.waiting()).isZero();
        Eventually.within(Duration.ofSeconds(5), "the ticker stopped", () -> ticker() == null);
    }

    @Test
    void aLongWaitEndsAtTheSignalOfAnArrivalNotAtTheNextTick() throws Exception {
        var arrived = new AtomicBoolean();
        var waiting = new CountDownLatch(1);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var reader = pool.submit(() -> {
                lock.lock();
                try {
                    waiting.countDown();
                    long start = System.nanoTime();
                    waits.await(lock, appended, Duration.ofSeconds(30), arrived::get);
                    return System.nanoTime() - start;
                } finally {
                    lock.unlock();
                }
            });
            waiting.await();
            Eventually.within(Duration.ofSeconds(5), "the reader is waiting", () -> waits.waiting() == 1);
            Eventually.within(Duration.ofSeconds(5), "the ticker started", () -> ticker() != null); // started by the wait just after it counts itself
            lock.lock();
            try {
                arrived.set(true);
                appended.signalAll();
            } finally {
                lock.unlock();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(reader.get(5, TimeUnit.SECONDS))).isLessThan(5_000);
        }
        assertThat(waits.waiting()).isZero();
    }

    @Test
    void twoReadersOfOneConditionEachLeaveAtTheirOwnDeadlineAndTheOtherIsStillWoken() throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var shorter = pool.submit(() -> timedWait(Duration.ofSeconds(1)));
            var longer = pool.submit(() -> timedWait(Duration.ofMillis(2_200)));
            assertThat(shorter.get(10, TimeUnit.SECONDS)).isBetween(1_000L, 1_000L + 8 * LongWaits.TICK.toMillis());
            assertThat(longer.get(10, TimeUnit.SECONDS)).isBetween(2_200L, 2_200L + 8 * LongWaits.TICK.toMillis());
        }
        assertThat(waits.waiting()).isZero();
    }

    @Test
    void aShortWaitKeepsItsOwnTimerAndStartsNoTicker() throws Exception {
        lock.lock();
        try {
            waits.await(lock, appended, Duration.ofMillis(100), () -> false);
        } finally {
            lock.unlock();
        }
        assertThat(ticker()).isNull();
    }

    private long timedWait(Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long start = System.nanoTime();
            waits.await(lock, appended, wait, () -> false);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } finally {
            lock.unlock();
        }
    }

    private Thread ticker() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(tickerName) && t.isAlive()).findFirst().orElse(null);
    }
}
