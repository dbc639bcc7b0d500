package dev.labdesk.desktop.tasks;

import javafx.beans.value.ObservableValue;
import javafx.util.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A {@link TaskExecutor} a view-model test runs by hand, on its own thread: UI and background tasks
 * wait in queues until {@link #runUi()} / {@link #runBackground()}, and timers fire when the test moves
 * the clock ({@link #advance}). So a test sees what happens on which side, in a fixed order, with no
 * sleeping. {@link #asUi} is the test acting as the UI thread (a click); {@link #watch} records every
 * property write made anywhere else.
 */
public final class ManualTaskExecutor implements TaskExecutor {
    private final ConcurrentLinkedQueue<Runnable> ui = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> background = new ConcurrentLinkedQueue<>();
    private final List<Timer> timers = new CopyOnWriteArrayList<>();
    private final List<String> offUiWrites = new CopyOnWriteArrayList<>();
    private final Thread owner = Thread.currentThread();
    private Duration now = Duration.ZERO;
    private boolean onUi;

    private static final class Timer {
        final Duration period;
        final Runnable task;
        Duration due;
        boolean queued;
        boolean cancelled;

        Timer(Duration period, Runnable task, Duration due) {
            this.period = period;
            this.task = task;
            this.due = due;
        }
    }

    @Override
    public Executor ui() {
        return ui::add;
    }

    @Override
    public Executor background() {
        return background::add;
    }

    @Override
    public Subscription every(Duration period, Runnable task) {
        var timer = new Timer(period, task, now.plus(period));
        timers.add(timer);
        return () -> timer.cancelled = true;
    }

    /** Runs the UI tasks, and those they queue, until none is left; returns how many ran. */
    public int runUi() {
        int n = 0;
        for (Runnable r; (r = ui.poll()) != null; n++) asUi(r);
        return n;
    }

    /** Runs the background tasks, and those they queue, until none is left; returns how many ran. */
    public int runBackground() {
        int n = 0;
        for (Runnable r; (r = background.poll()) != null; n++) r.run();
        return n;
    }

    /** Runs both sides until neither has anything left. */
    public void runAll() {
        while (runBackground() + runUi() > 0) {
            // each side may have queued work for the other
        }
    }

    /** Moves the clock: each timer that comes due queues one run in the background; the next is due a period after it ran. */
    public void advance(Duration by) {
        now = now.plus(by);
        for (var t : timers) {
            if (t.cancelled || t.queued || t.due.compareTo(now) > 0) continue;
            t.queued = true;
            background.add(() -> {
                try {
                    if (!t.cancelled) t.task.run();
                } finally {
                    t.queued = false;
                    t.due = now.plus(t.period);
                }
            });
        }
    }

    /** Timers not cancelled. */
    public int activeTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled).count();
    }

    public int pendingUi() {
        return ui.size();
    }

    public int pendingBackground() {
        return background.size();
    }

    /** The test acting on the UI thread (a click, a key). */
    public void asUi(Runnable action) {
        boolean was = onUi;
        onUi = Thread.currentThread() == owner;
        try {
            action.run();
        } finally {
            onUi = was;
        }
    }

    public <T> T asUi(Supplier<T> action) {
        var out = new ArrayList<T>(1);
        asUi(() -> {
            out.add(action.get());
        });
        return out.getFirst();
    }

    /** Records every change of {@code values} made outside a UI task or {@link #asUi} action. */
    public void watch(String name, ObservableValue<?> value) {
        value.addListener((o, a, b) -> {
            if (!(onUi && Thread.currentThread() == owner))
                offUiWrites.add(name + " = " + b + " on " + Thread.currentThread().getName() + (onUi ? "" : " outside a UI task"));
        });
    }

    /** What {@link #watch} saw written off the UI thread. */
    public List<String> offUiWrites() {
        return List.copyOf(offUiWrites);
    }
}
