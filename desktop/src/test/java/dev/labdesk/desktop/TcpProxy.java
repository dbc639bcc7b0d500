package dev.labdesk.desktop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real TCP proxy on 127.0.0.1 in front of a worker, so a test can make the worker "go away":
 * {@link #cut()} drops every open connection, {@link #stop()} also stops accepting (connects are
 * refused) until {@link #start()} listens again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private volatile ServerSocket server;
    private volatile int port;

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        start();
    }

    public synchronized void start() throws IOException {
        var s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = s.getLocalPort();
        server = s;
        Thread.ofVirtual().name("proxy-accept").start(() -> accept(s));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Bytes sent from clients towards the worker so far. */
    public long upstreamBytes() {
        return upstreamBytes.get();
    }

    public void cut() {
        for (var s : open) close(s);
        open.clear();
    }

    public synchronized void stop() {
        close(server);
        cut();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                var client = s.accept();
                var upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean up) {
        var buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
                if (up) upstreamBytes.addAndGet(n);
            }
        } catch (IOException e) {
            // cut
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(java.io.Closeable c) {
        try {
            if (c != null) c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        stop();
    }
}
