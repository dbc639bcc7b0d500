package dev.labdesk.desktop.client;

/** Makes the client for a worker address; the app's talks HTTP ({@link #HTTP}), a view model's unit test answers from memory. */
@FunctionalInterface
public interface WorkerConnector {
    WorkerConnector HTTP = WorkerClient::new;

    /** {@code refused} is called, on any thread, each time the worker answers 401 to this client. */
    WorkerApi connect(WorkerAddress address, Runnable refused);
}
