package dev.labdesk.desktop.tasks;

import javafx.util.Subscription;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Where a view model runs its work: results go to the UI thread through {@link #ui()}, blocking
 * calls (the worker, files) to {@link #background()}, periodic checks to {@link #every}. The app
 * passes {@link VirtualThreadTaskExecutor}; a view model's unit test passes one it runs by hand.
 */
public interface TaskExecutor {
    /** The UI thread's queue: a view model writes its properties only from tasks run here (or when called on it). */
    Executor ui();

    /** Blocking work, never on the UI thread. */
    Executor background();

    /**
     * Runs {@code task} in the background every {@code period}, the first time one period from now; the next
     * run waits for the previous one to end, so a slow worker never piles up checks. Unsubscribing stops it.
     */
    Subscription every(Duration period, Runnable task);
}
