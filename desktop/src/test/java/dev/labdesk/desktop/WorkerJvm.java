package dev.labdesk.desktop;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker in its own JVM ({@code WorkerMain} from this test run's class path, which holds the worker
 * and its libraries), so a desktop test can kill it with {@code kill -9} and start another on the same
 * data dir and port. (The worker module's own helper is in its test classes, which this module does not see.)
 */
public final class WorkerJvm implements AutoCloseable {
    private final Process process;
    private final URI baseUrl;

    private WorkerJvm(Process process, URI baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    public static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A worker on 127.0.0.1:{@code port} over {@code dataDir}, without credentials, answering requests; its output goes to {@code log}. */
    public static WorkerJvm start(Path dataDir, int port, Path log) throws Exception {
        var builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.labdesk.worker.WorkerMain")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        var env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("LABDESK_") || k.startsWith("OPENAI_") || k.equals("REDIS_URL"));
        env.put("LABDESK_DATA_DIR", dataDir.toString());
        env.put("LABDESK_PORT", Integer.toString(port));
        env.put("LABDESK_AUTH", "none");
        var process = builder.start();
        var base = URI.create("http://127.0.0.1:" + port);
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("the worker exited with " + process.exitValue() + ":\n" + Files.readString(log));
            try {
                var r = http.send(HttpRequest.newBuilder(base.resolve("/sessions")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return new WorkerJvm(process, base);
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("the worker did not start within 60 s:\n" + Files.readString(log));
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** {@code kill -9}: nothing is flushed or closed. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
