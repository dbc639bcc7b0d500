package dev.labdesk.worker.modal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The uploads into Modal volumes that this container still has under way. An upload is answered
 * 202 once it is committed here; its copy into Modal goes on in the background (a request may last
 * 150 s on Modal), and the session's Sandbox starts only once its volume is there.
 */
public final class VolumeUploads {
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    void started(String sessionId, CompletableFuture<Void> upload) {
        pending.put(sessionId, upload);
        // a finished upload is forgotten; a failed one stays until its launch has heard why
        upload.thenRun(() -> pending.remove(sessionId, upload));
    }

    /** Returns once the session's volume is in Modal (at once when this container uploads nothing for it). */
    void await(String sessionId, Duration timeout) throws IOException {
        var upload = pending.get(sessionId);
        if (upload == null) return;
        try {
            upload.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            pending.remove(sessionId, upload);
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the session's volume was not in Modal within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the session's volume was uploaded to Modal");
        }
    }
}
