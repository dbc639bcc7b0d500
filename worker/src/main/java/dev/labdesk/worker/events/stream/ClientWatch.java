package dev.labdesk.worker.events.stream;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;

/**
 * Notices at once when the client of a long-lived response closes its connection, and interrupts the
 * thread serving it. Jetty reads nothing from a connection while its request is being answered, so a
 * stream that is only waiting for events would otherwise learn that its client left on its second
 * write after the close (the first still lands in the socket's buffer): two heartbeats, all that
 * time holding a subscriber slot. An event-stream client sends nothing after its request, so the
 * connection turning readable means it closed (or misbehaves; either way the stream ends).
 */
final class ClientWatch implements AutoCloseable {
    private static final ClientWatch NONE = new ClientWatch(null, null);
    /** Withdraws this watch's read interest: handed to its own callback only, never to the connection. */
    private static final IOException STREAM_DONE = new IOException("the event stream ended");
    private final EndPoint endPoint;
    private final Thread serving;
    private boolean open = true;   // guarded by this
    private boolean gone;          // guarded by this

    private ClientWatch(EndPoint endPoint, Thread serving) {
        this.endPoint = endPoint;
        this.serving = serving;
    }

    /**
     * Watches the connection of {@code ctx} for the calling thread. When the connection cannot be
     * watched (another reader is interested already, not a plain HTTP/1.1 socket), the stream's own
     * writes still find out, later.
     */
    static ClientWatch start(Context ctx) {
        EndPoint endPoint;
        try {
            endPoint = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint();
        } catch (RuntimeException notJetty) {
            return NONE;
        }
        var watch = new ClientWatch(endPoint, Thread.currentThread());
        if (!(endPoint instanceof AbstractEndPoint) || !endPoint.tryFillInterested(watch.readable())) return NONE;
        return watch;
    }

    private Callback readable() {
        return new Callback() {
            @Override
            public void succeeded() {
                synchronized (ClientWatch.this) {
                    if (!open) return; // the stream is over: the bytes belong to the connection's next request
                    try {
                        int n = endPoint.fill(BufferUtil.allocate(1));
                        if (n == 0 && endPoint.tryFillInterested(this)) return; // woken for nothing: keep watching
                    } catch (IOException e) {
                        // a reset connection: gone as well
                    }
                    leave();
                }
            }

            @Override
            public void failed(Throwable cause) {
                synchronized (ClientWatch.this) {
                    if (open) leave();
                }
            }
        };
    }

    // guarded by this, with open true
    private void leave() {
        gone = true;
        endPoint.close(); // nothing more can be sent to it; Jetty must not reuse the connection either
        serving.interrupt();
    }

    /** Whether the client went away (and the serving thread was, or is being, interrupted). */
    synchronized boolean gone() {
        return gone;
    }

    /**
     * Stops watching; called by the serving thread before it returns, so no interrupt reaches it
     * afterwards and the connection's next request is Jetty's to read. Clears an interrupt this watch caused.
     */
    @Override
    public void close() {
        if (this == NONE) return;
        synchronized (this) {
            if (!open) return;
            open = false;
            if (!gone) ((AbstractEndPoint) endPoint).getFillInterest().onFail(STREAM_DONE);
        }
        if (gone) Thread.interrupted();
    }
}
