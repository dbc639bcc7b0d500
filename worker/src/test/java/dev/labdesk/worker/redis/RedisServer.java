package dev.labdesk.worker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, with its append-only file in {@code dir} so
 * that a stop and a start on the same port keep what was acknowledged, as a production Redis does.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    public static RedisServer start(Path dir) throws IOException, InterruptedException {
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var server = new RedisServer(dir, port);
        server.start();
        return server;
    }

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public URI url() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", dir.toString(),
                "--protected-mode", "no"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("redis-server exited with " + process.exitValue() + "; see " + dir);
            if (pong()) return;
            Thread.sleep(20);
        }
        throw new IOException("redis-server did not answer PING on port " + port);
    }

    /** SIGTERM, as an operator's restart does: Redis flushes its append-only file and exits. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        process = null;
    }

    private boolean pong() {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            var reply = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
            return reply.startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
