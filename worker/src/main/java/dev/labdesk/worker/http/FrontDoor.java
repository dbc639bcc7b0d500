package dev.labdesk.worker.http;

import java.util.Locale;

import dev.labdesk.model.Health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The worker's listening socket, bound as the process starts, and a minimal HTTP/1.1 responder that
 * answers {@code GET /health} on it while Jackson, Javalin and Jetty are still loading: a platform
 * health check should not wait for them (docs/BENCHMARKS.md, cold start).
 *
 * <p>The health it reports is the worker's own {@link HealthRoutes#check()}, handed over by the
 * worker as soon as the dependencies it reports on exist; until then a health request waits.
 * Jetty later accepts on the same channel ({@link #channel()}): the responder stops accepting just
 * before Jetty's acceptor starts ({@link #stopAccepting()}), and connections arriving in between wait
 * in the listen backlog, so none is refused during the switch. Any other request that reaches the
 * responder is not answered by it: it waits until Jetty serves ({@link #handOver()}) and is then
 * relayed to Jetty byte for byte ({@link TcpRelay}), for as long as the client keeps that connection.
 */
public final class FrontDoor implements AutoCloseable {
    /** How long an accept blocks before the responder looks whether Jetty has taken over. */
    private static final int ACCEPT_POLL_MS = 20;
    private static final int MAX_HEAD = 16 * 1024;
    private static final int HEAD_TIMEOUT_MS = 10_000;

    private final ServerSocketChannel channel;
    private final InetSocketAddress address;
    private final CompletableFuture<Supplier<Health>> health = new CompletableFuture<>();
    private final CompletableFuture<Void> handedOver = new CompletableFuture<>();
    private final CountDownLatch acceptorDone = new CountDownLatch(1);
    private volatile boolean accepting = true;

    private FrontDoor(ServerSocketChannel channel) {
        this.channel = channel;
        this.address = (InetSocketAddress) channel.socket().getLocalSocketAddress();
    }

    /** Binds {@code host:port} (0: any free port) and starts answering on it. */
    public static FrontDoor open(String host, int port) throws IOException {
        var channel = ServerSocketChannel.open();
        try {
            channel.socket().setReuseAddress(true); // as Jetty binds: a restart need not wait out TIME_WAIT
            channel.bind(new InetSocketAddress(host, port), 1024);
            channel.socket().setSoTimeout(ACCEPT_POLL_MS);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        var door = new FrontDoor(channel);
        Thread.ofPlatform().daemon().name("front-door").start(door.new Acceptor());
        return door;
    }

    /** The bound channel, for Jetty's connector to accept on. */
    public ServerSocketChannel channel() {
        return channel;
    }

    public int port() {
        return address.getPort();
    }

    /** From now on {@code GET /health} is answered with {@code check}'s result. */
    public void serveHealth(Supplier<Health> check) {
        health.complete(check);
    }

    /**
     * Stops the responder's accept loop (within {@value #ACCEPT_POLL_MS} ms) and waits for it. Call it
     * before Jetty's acceptor starts: a channel's accepts share one lock, and a blocking accept holds
     * it until a connection comes, so a door still polling once Jetty accepts could wait for the next
     * client. Connections arriving meanwhile wait in the listen backlog for Jetty.
     */
    public void stopAccepting() {
        accepting = false;
        awaitAcceptor(Long.MAX_VALUE);
    }

    /** Jetty accepts on the channel: the requests the door holds are relayed to it. */
    public void handOver() {
        stopAccepting();
        handedOver.complete(null);
    }

    /** The worker could not start: held requests are dropped, the socket is closed. */
    @Override
    public void close() {
        accepting = false;
        health.completeExceptionally(new IOException("the worker did not start"));
        handedOver.completeExceptionally(new IOException("the worker did not start"));
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing is listening any more either way
        }
        awaitAcceptor(1_000); // a thread in accept defers the socket's release until its poll ends: the port is free on return
    }

    private void awaitAcceptor(long millis) {
        try {
            acceptorDone.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /*
     * The accept loop and the per-connection task are named classes, and the response head is built
     * with a StringBuilder: no lambda and no string concatenation on the path to the first answer,
     * since each would spin up invokedynamic's bootstrap on a cold JVM.
     */
    private final class Acceptor implements Runnable {
        @Override
        public void run() {
            acceptLoop();
        }
    }

    private final class Request implements Runnable {
        private final Socket socket;

        Request(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            serve(socket);
        }
    }

    private void acceptLoop() {
        try {
            var server = channel.socket();
            while (accepting) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (SocketTimeoutException e) {
                    continue;
                }
                Thread.ofPlatform().daemon().name("front-door-request").start(new Request(socket));
            }
        } catch (IOException e) {
            // the channel was closed: the worker did not start
        } finally {
            acceptorDone.countDown();
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout(HEAD_TIMEOUT_MS);
            var in = socket.getInputStream();
            var head = readHead(in);
            if (isHealthCheck(head)) {
                answerHealth(socket.getOutputStream());
                socket.close();
                return;
            }
            socket.setSoTimeout(0);
            handedOver.join();
            TcpRelay.toJetty(socket, head, address);
        } catch (IOException | RuntimeException e) {
            TcpRelay.closeQuietly(socket);
        }
    }

    /** The bytes up to and including the blank line that ends the request head (or all there were). */
    private static byte[] readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream(512);
        int last4 = 0; // the last four bytes read, to spot "\r\n\r\n"
        while (head.size() < MAX_HEAD) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                break;
            }
            if (b < 0) break;
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0D0A0D0A) break;
        }
        return head.toByteArray();
    }

    /** {@code GET /health} or {@code GET /health?…}, a complete head, no body announced. */
    static boolean isHealthCheck(byte[] head) {
        var text = new String(head, StandardCharsets.ISO_8859_1);
        if (!text.endsWith("\r\n\r\n")) return false;
        int end = text.indexOf("\r\n");
        var line = text.substring(0, end).split(" ");
        if (line.length != 3 || !line[0].equals("GET") || !line[2].startsWith("HTTP/1.")) return false;
        var target = line[1];
        int query = target.indexOf('?');
        if (!(query < 0 ? target : target.substring(0, query)).equals("/health")) return false;
        var lower = text.toLowerCase(Locale.ROOT);
        return !lower.contains("\r\ncontent-length:") && !lower.contains("\r\ntransfer-encoding:");
    }

    private void answerHealth(OutputStream out) throws IOException {
        var report = health.join().get();
        var body = HealthJson.write(report).getBytes(StandardCharsets.UTF_8);
        var status = report.status().equals("healthy") ? "200 OK" : "503 Service Unavailable";
        var head = new StringBuilder(200).append("HTTP/1.1 ").append(status).append("\r\nDate: ");
        HttpDate.append(System.currentTimeMillis() / 1000, head);
        head.append("\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: ")
                .append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }
}
