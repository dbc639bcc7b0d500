package dev.labdesk.worker.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** A client connection piped to another listener byte for byte, both ways, until either side closes. */
final class TcpRelay {
    private TcpRelay() {}

    /**
     * Sends {@code head} (what was already read from {@code client}) to the listener at {@code address}
     * (the loopback when it is a wildcard address), then pipes both ways; returns when the client's
     * side ends.
     */
    static void toJetty(Socket client, byte[] head, InetSocketAddress address) throws IOException {
        var target = address.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), address.getPort()) : address;
        var upstream = new Socket();
        try {
            upstream.connect(target);
            upstream.setTcpNoDelay(true);
            var toJetty = upstream.getOutputStream();
            toJetty.write(head);
            toJetty.flush();
        } catch (IOException e) {
            closeQuietly(upstream);
            throw e;
        }
        var open = new AtomicInteger(2); // directions still flowing: the last one to end closes both sockets
        Thread.ofVirtual().name("front-door-relay").start(() -> pipe(upstream, client, open));
        pipe(client, upstream, open);
    }

    private static void pipe(Socket from, Socket to, AtomicInteger open) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
            if (open.decrementAndGet() > 0) return;
        } catch (IOException e) {
            // one side is gone: so is the relay
        }
        closeQuietly(from);
        closeQuietly(to);
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
