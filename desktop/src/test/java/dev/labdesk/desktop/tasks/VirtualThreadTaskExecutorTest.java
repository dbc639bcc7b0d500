package dev.labdesk.desktop.tasks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The app's task executor with real threads and a real clock. */
class VirtualThreadTaskExecutorTest {
    @Test
    void backgroundWorkRunsOnVirtualThreadsAndUiWorkOnTheGivenQueue() throws Exception {
        var uiRan = new CopyOnWriteArrayList<Runnable>();
        try (var tasks = new VirtualThreadTaskExecutor(uiRan::add)) {
            var done = new CountDownLatch(1);
            var virtual = new boolean[1];
            tasks.background().execute(() -> {
                virtual[0] = Thread.currentThread().isVirtual();
                done.countDown();
            });
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(virtual[0]).isTrue();
            Runnable r = () -> {};
            tasks.ui().execute(r);
            assertThat(uiRan).containsExactly(r);
        }
    }

    @Test
    void aRepeatingTaskNeverOverlapsItselfAndStopsWhenUnsubscribed() throws Exception {
        try (var tasks = new VirtualThreadTaskExecutor(Runnable::run)) {
            var running = new AtomicInteger();
            var overlaps = new AtomicInteger();
            List<Boolean> onVirtual = new CopyOnWriteArrayList<>();
            var runs = new CountDownLatch(4);
            var timer = tasks.every(Duration.ofMillis(20), () -> {
                if (running.incrementAndGet() > 1) overlaps.incrementAndGet();
                onVirtual.add(Thread.currentThread().isVirtual());
                sleep(60); // slower than the period: a fixed-delay timer waits for it
                running.decrementAndGet();
                runs.countDown();
            });
            assertThat(runs.await(10, TimeUnit.SECONDS)).isTrue();
            timer.unsubscribe();
            sleep(100); // a run under way may finish
            int after = onVirtual.size();
            sleep(200);
            assertThat(onVirtual).hasSize(after).containsOnly(true);
            assertThat(overlaps).hasValue(0);
        }
    }

    @Test
    void closingStopsEveryTimer() throws Exception {
        var tasks = new VirtualThreadTaskExecutor(Runnable::run);
        var ticks = new AtomicInteger();
        tasks.every(Duration.ofMillis(10), ticks::incrementAndGet);
        sleep(100);
        tasks.close();
        sleep(50);
        int after = ticks.get();
        sleep(150);
        assertThat(after).isPositive();
        assertThat(ticks).hasValue(after);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
