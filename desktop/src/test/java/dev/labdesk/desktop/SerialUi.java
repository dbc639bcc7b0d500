package dev.labdesk.desktop;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the UI thread in view-model tests without JavaFX: one thread that runs every
 * view-model call and every callback, as the FX thread would, so the properties see one thread only.
 */
public final class SerialUi implements java.util.concurrent.Executor, AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "ui"));

    @Override
    public void execute(Runnable command) {
        thread.execute(command);
    }

    public <T> T call(Callable<T> c) throws Exception {
        return thread.submit(c).get(30, TimeUnit.SECONDS);
    }

    public void run(Runnable r) throws Exception {
        thread.submit(r).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
