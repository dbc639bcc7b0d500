package dev.labdesk.desktop.fx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items from background threads to the UI thread in batches: however many arrive, at most
 * one task waits on the UI executor, and it takes everything queued so far.
 */
public final class UiQueue<T> {
    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor ui;
    private final Consumer<List<T>> sink;

    public UiQueue(Executor ui, Consumer<List<T>> sink) {
        this.ui = ui;
        this.sink = sink;
    }

    /** Any thread. */
    public void offer(T item) {
        items.add(item);
        if (scheduled.compareAndSet(false, true)) ui.execute(this::flush);
    }

    private void flush() {
        scheduled.set(false);
        var batch = new ArrayList<T>();
        for (T t; (t = items.poll()) != null; ) batch.add(t);
        if (!batch.isEmpty()) sink.accept(batch);
    }
}
