package dev.labdesk.worker.http;

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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The worker's listening socket, bound as the process starts, and a minimal HTTP/1.1 responder that
 * answers {@code GET /health} on it while Jackson, Javalin and Jetty are still loading (they take
 * about half a second on a cold JVM; a platform health check should not wait for them).
 *
 * <p>The health it reports is the worker's own {@link HealthRoutes#check()}, handed over by the
 * worker as soon as the dependencies it reports on exist; until then a health request waits.
 * Jetty later accepts on the same channel ({@link #channel()}): the responder stops accepting just
 * before Jetty's acceptor starts ({@link #stopAccepting()}), and connections arriving in between wait
 * in the listen backlog, so none is refused during the switch. Any other request that reaches the
 * responder is not answered by it: it waits until Jetty serves ({@link #handOver()}) and is then
 * relayed to Jetty byte for byte, for as long as the client keeps that connection.
 */
public final class FrontDoor implements AutoCloseable {
    /** How long an accept blocks before the responder looks whether Jetty has taken over. */
    private static final int ACCEPT_POLL_MS = 20;
    private static final int MAX_HEAD = 16 * 1024;
    private static final int HEAD_TIMEOUT_MS = 10_000;
    private static final String[] DAYS = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; // 1970-01-01 was a Thursday
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

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
     * since each would spin up invokedynamic's bootstrap on a cold JVM (tens of ms).
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
            relay(socket, head);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
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
        var lower = text.toLowerCase(java.util.Locale.ROOT);
        return !lower.contains("\r\ncontent-length:") && !lower.contains("\r\ntransfer-encoding:");
    }

    private void answerHealth(OutputStream out) throws IOException {
        var report = health.join().get();
        var body = json(report).getBytes(StandardCharsets.UTF_8);
        var status = report.status().equals("healthy") ? "200 OK" : "503 Service Unavailable";
        var head = new StringBuilder(200).append("HTTP/1.1 ").append(status).append("\r\nDate: ");
        httpDate(System.currentTimeMillis() / 1000, head);
        head.append("\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: ")
                .append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /**
     * HTTP's IMF-fixdate ("Wed, 02 Dec 2026 15:04:05 GMT"), which an origin server with a clock must
     * send, as Jetty does. By hand: on a cold JVM, {@code java.time}'s formatter took 30–40 ms to load
     * and run, a fifth of the time to a first {@code /health}, which is what this class is for.
     */
    static void httpDate(long epochSecond, StringBuilder out) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        // civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        out.append(DAYS[(int) Math.floorMod(days, 7)]).append(", ");
        two(day, out).append(' ').append(MONTHS[month - 1]).append(' ').append(year).append(' ');
        two(secondOfDay / 3600, out).append(':');
        two(secondOfDay / 60 % 60, out).append(':');
        two(secondOfDay % 60, out).append(" GMT");
    }

    private static StringBuilder two(int n, StringBuilder out) {
        return out.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /**
     * The health report as JSON, written here and not by Jackson, whose start-up is one of the things
     * this class does not wait for. Same shape as the mapper writes it (snake_case names, no nulls):
     * FrontDoorTest holds the two to be equal.
     */
    static String json(Health health) {
        var out = new StringBuilder(256).append('{');
        field(out, "status", health.status());
        if (health.version() != null) field(out.append(','), "version", health.version());
        if (health.dependencies() != null) {
            quote(out.append(','), "dependencies").append(":{");
            boolean first = true;
            for (Map.Entry<String, Health.Dependency> e : health.dependencies().entrySet()) {
                if (!first) out.append(',');
                first = false;
                quote(out, e.getKey()).append(":{");
                var dep = e.getValue();
                field(out, "status", dep.status());
                if (dep.detail() != null) field(out.append(','), "detail", dep.detail());
                out.append('}');
            }
            out.append('}');
        }
        return out.append('}').toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        quote(out, name).append(':');
        if (value == null) out.append("null");
        else quote(out, value);
    }

    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"');
    }

    /** Pipes the client's connection to Jetty on the same port, both ways, until either side closes. */
    private void relay(Socket client, byte[] head) throws IOException {
        var target = address.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), address.getPort()) : address;
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

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
