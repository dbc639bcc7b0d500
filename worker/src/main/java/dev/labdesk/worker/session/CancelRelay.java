package dev.labdesk.worker.session;

import java.util.function.Consumer;

/**
 * Carries a cancellation to the worker instance whose agent it is. A single worker has no one to
 * tell ({@link SingleWorkerCancels}); with Redis every instance listens on one channel
 * ({@code RedisCancels}), so {@code POST /sessions/{id}/cancel} works on whichever instance it reaches.
 */
public interface CancelRelay extends AutoCloseable {

    /** From now on, cancellations other instances send reach {@code cancelOwnRun} (with the session id). */
    void listen(Consumer<String> cancelOwnRun);

    /**
     * Asks the other instances to cancel the session's agent if it runs there.
     *
     * @return how many other instances heard it: 0 means no other instance is alive to run it
     */
    long tellOthers(String sessionId);

    @Override
    void close();
}
