package dev.labdesk.worker.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of the worker that plays dropped Wi-Fi once: after the first PATCH has
 * passed {@code passBytes} of its body it forwards nothing more either way, and after {@code dropAfter}
 * closes the client's side only. The worker's side stays open, silent, like a peer that vanished.
 */
final class StallingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final long passBytes;
    private final Duration dropAfter;
    private final AtomicBoolean stalledOnce = new AtomicBoolean();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    StallingProxy(int upstreamPort, long passBytes, Duration dropAfter) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.passBytes = passBytes;
        this.dropAfter = dropAfter;
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Whether the stall happened: the test is about nothing otherwise. */
    boolean stalled() {
        return stalledOnce.get();
    }

    private void accept() {
        try {
            while (true) {
                var client = server.accept();
                var upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                var stall = new AtomicBoolean();
                Thread.ofVirtual().start(() -> pump(client, upstream, stall, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, stall, false));
            }
        } catch (IOException closed) {
            // the proxy is closed
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean stall, boolean toServer) {
        var client = toServer ? from : to;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            var buf = new byte[16 * 1024];
            long afterPatch = -1;
            int n;
            while ((n = in.read(buf)) > 0) {
                if (stall.get()) continue; // stalled: bytes go nowhere
                int send = n;
                if (toServer && afterPatch < 0 && !stalledOnce.get() && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("PATCH /tus/"))
                    afterPatch = 0;
                if (afterPatch >= 0) {
                    send = (int) Math.min(n, passBytes - afterPatch);
                    afterPatch += send;
                    if (afterPatch >= passBytes && stalledOnce.compareAndSet(false, true)) {
                        stall.set(true);
                        Thread.ofVirtual().start(() -> {
                            sleep(dropAfter);
                            closeQuietly(client); // the client sees its connection die; the worker sees nothing
                        });
                    }
                }
                if (send > 0) {
                    out.write(buf, 0, send);
                    out.flush();
                }
            }
        } catch (IOException gone) {
            // one side closed
        }
        if (!stall.get()) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        server.close();
        sockets.forEach(StallingProxy::closeQuietly);
    }
}
