package dev.labdesk.worker.session;

import java.util.function.Consumer;

/** One worker without shared state: every agent it knows of is its own, so there is nobody to tell. */
public final class SingleWorkerCancels implements CancelRelay {
    @Override
    public void listen(Consumer<String> cancelOwnRun) {
        // no other instance sends anything
    }

    @Override
    public long tellOthers(String sessionId) {
        return 0;
    }

    @Override
    public void close() {
    }
}
