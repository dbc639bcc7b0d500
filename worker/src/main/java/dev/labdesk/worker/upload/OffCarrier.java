package dev.labdesk.worker.upload;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs an upload body's CPU-heavy part (parsing, hashing, copying) on a platform thread. Request
 * handlers run on virtual threads, which are not preempted: a few bodies that arrive faster than
 * they are parsed held every carrier thread, and even /health waited seconds for one. The OS
 * shares the cores between platform threads, so other requests keep being answered.
 */
final class OffCarrier {
    private OffCarrier() {}

    @FunctionalInterface
    interface Work<T> {
        T call() throws IOException;
    }

    /** Runs {@code work} on a new platform thread named {@code name} and waits for its result or failure. */
    static <T> T call(String name, Work<T> work) throws IOException {
        var task = new FutureTask<T>(work::call);
        Thread.ofPlatform().name(name).daemon().start(task);
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the upload was being read", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        }
    }
}
