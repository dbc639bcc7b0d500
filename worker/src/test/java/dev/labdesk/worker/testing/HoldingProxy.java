package dev.labdesk.worker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a worker's port that counts every byte clients send towards it (headers and
 * bodies, over all connections), and can hold the traffic once a given count has passed: nothing more
 * is forwarded until {@link #release()} closes the held connections. A worker started again on the
 * same port is reached by the next connection; while none listens, a client's connection is closed.
 */
public final class HoldingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final AtomicLong sent = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile long holdAt = Long.MAX_VALUE;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public HoldingProxy(int upstreamPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Bytes sent by clients towards the worker so far. */
    public long sent() {
        return sent.get();
    }

    /** Forwards nothing more once {@code bytes} have been sent in all; {@link #awaitHeld()} returns then. */
    public void holdAt(long bytes) {
        holdAt = bytes;
    }

    public boolean awaitHeld(java.time.Duration within) throws InterruptedException {
        return held.await(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Closes the held connections (their clients see them drop); new ones are forwarded again. */
    public void release() {
        holdAt = Long.MAX_VALUE;
        released.countDown();
    }

    private void accept() {
        try {
            while (true) {
                var client = server.accept();
                sockets.add(client);
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                } catch (IOException down) {
                    closeQuietly(client); // no worker listening: the client's request fails as it would without the proxy
                    continue;
                }
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            }
        } catch (IOException closed) {
            // the proxy is closed
        }
    }

    private void pump(Socket from, Socket to, boolean toWorker) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            var buf = new byte[16 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                int send = n;
                if (toWorker) {
                    long before = sent.get();
                    long limit = holdAt;
                    send = (int) Math.max(0, Math.min(n, limit - before));
                    sent.addAndGet(send);
                    if (send > 0) out.write(buf, 0, send);
                    out.flush();
                    if (send < n) {
                        held.countDown();
                        released.await();
                        break;
                    }
                } else {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException gone) {
            // one side closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(from);
        closeQuietly(to);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.close();
        sockets.forEach(HoldingProxy::closeQuietly);
    }
}
