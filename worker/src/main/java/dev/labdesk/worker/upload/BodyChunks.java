package dev.labdesk.worker.upload;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Content;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A request body as the buffers Jetty read it into from the socket. Reading it through the
 * servlet {@code InputStream} instead copies every byte once more, from Jetty's buffer into the
 * caller's array (its cost: docs/BENCHMARKS.md, "Uploads").
 * Blocking: {@link #next()} parks the calling (virtual) thread until Jetty has content, for at
 * most the {@link Pace}'s idle timeout; a body slower on average than its minimum rate is cut too.
 */
final class BodyChunks {
    private final Content.Source source;
    private final Pace pace;
    private final Semaphore ready = new Semaphore(0);
    private final long start = System.nanoTime();
    private long received;
    private boolean ended;
    private volatile boolean stopped;

    /**
     * How slow a body may be: silent for at most {@code idle}, and once {@code idle} has passed
     * since it began, at least {@code minBytesPerSecond} on average.
     */
    record Pace(Duration idle, long minBytesPerSecond) {
        static final Pace UNBOUNDED = new Pace(Duration.ofDays(365), 0);
    }

    /** The body was too slow: the client sent nothing for too long, or too little on average. */
    static final class SlowClientException extends IOException {
        SlowClientException(String message) {
            super(message);
        }
    }

    /** A newer request took the file over (tusd's way with a stalled PATCH): this one stops reading. */
    static final class TakenOverException extends IOException {
        TakenOverException() {
            super("a newer PATCH of this file took it over");
        }
    }

    /** Tells the reader to stop: its current or next {@link #next()} throws {@link TakenOverException}. */
    void stop() {
        stopped = true;
        ready.release();
    }

    BodyChunks(Content.Source source, Pace pace) {
        this.source = source;
        this.pace = pace;
    }

    /** The body of {@code request}: Jetty's own content source, or (behind a foreign wrapper) its stream. */
    static BodyChunks of(HttpServletRequest request, Pace pace) throws IOException {
        var jetty = ServletContextRequest.getServletContextRequest(request);
        return new BodyChunks(jetty != null ? jetty : Content.Source.from(request.getInputStream()), pace);
    }

    /**
     * The next chunk of the body, which the caller must {@link Content.Chunk#release() release}
     * once done with its bytes; the last one says {@link Content.Chunk#isLast()}.
     *
     * @throws SlowClientException the client is too slow (see {@link Pace})
     * @throws IOException the client went away
     */
    Content.Chunk next() throws IOException {
        while (true) {
            if (stopped) throw new TakenOverException();
            var chunk = source.read();
            if (chunk == null) {
                source.demand(ready::release);
                awaitContent();
                continue;
            }
            if (Content.Chunk.isFailure(chunk)) {
                var failure = chunk.getFailure();
                if (failure instanceof TimeoutException) throw new SlowClientException("the request body sent no byte for as long as the server waits");
                throw failure instanceof IOException io ? io : new IOException(failure);
            }
            received += chunk.remaining();
            if (chunk.isLast()) ended = true;
            else checkRate(chunk);
            return chunk;
        }
    }

    /** Whether the whole body has been read. */
    boolean ended() {
        return ended;
    }

    long received() {
        return received;
    }

    private void awaitContent() throws IOException {
        try {
            if (!ready.tryAcquire(pace.idle().toNanos(), TimeUnit.NANOSECONDS))
                throw new SlowClientException("the request body sent no byte for " + seconds(pace.idle().toNanos())
                        + " (after " + received + " bytes): the worker does not wait longer (LABDESK_UPLOAD_IDLE_TIMEOUT)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the request body", e);
        }
    }

    /** Per chunk, not per byte: a clock read and a division. */
    private void checkRate(Content.Chunk chunk) throws SlowClientException {
        if (pace.minBytesPerSecond() <= 0) return;
        long elapsed = System.nanoTime() - start;
        if (elapsed < pace.idle().toNanos()) return;
        double rate = received * 1e9 / elapsed;
        if (rate >= pace.minBytesPerSecond()) return;
        chunk.release();
        throw new SlowClientException("the request body arrived at " + Math.round(rate) + " bytes/s on average over " + seconds(elapsed)
                + ", below the " + pace.minBytesPerSecond() + " bytes/s the worker needs an upload to keep");
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
