package dev.labdesk.desktop.tasks;

import javafx.util.Subscription;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app's {@link TaskExecutor}: every background task on a virtual thread of its own; one daemon
 * timer thread that only wakes timers and hands their work to a virtual thread, so a blocked health
 * check never delays another timer. {@link #close()} stops the timers.
 */
public final class VirtualThreadTaskExecutor implements TaskExecutor, AutoCloseable {
    /** Background work without a timer (a view model built on its own, as in a test of it). */
    public static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("labdesk-task").start(task);

    private final Executor ui;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "labdesk-timer");
        t.setDaemon(true);
        return t;
    });

    /** {@code ui} is the UI thread's queue ({@code Platform::runLater} in the app). */
    public VirtualThreadTaskExecutor(Executor ui) {
        this.ui = ui;
    }

    @Override
    public Executor ui() {
        return ui;
    }

    @Override
    public Executor background() {
        return VIRTUAL_THREADS;
    }

    @Override
    public Subscription every(Duration period, Runnable task) {
        var stopped = new AtomicBoolean();
        var next = new AtomicReference<ScheduledFuture<?>>();
        var tick = new Runnable() {
            @Override public void run() {
                if (stopped.get()) return;
                VIRTUAL_THREADS.execute(() -> {
                    try {
                        if (!stopped.get()) task.run();
                    } finally {
                        schedule(this);
                    }
                });
            }

            void schedule(Runnable self) {
                if (stopped.get()) return;
                try {
                    next.set(timer.schedule(self, period.toNanos(), TimeUnit.NANOSECONDS));
                } catch (RejectedExecutionException closed) {
                    // the app is closing: no more ticks
                }
            }
        };
        tick.schedule(tick);
        return () -> {
            stopped.set(true);
            var f = next.get();
            if (f != null) f.cancel(false);
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
