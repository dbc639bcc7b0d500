package dev.labdesk.worker.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker in its own JVM ({@code WorkerMain}, this test run's class path), so a test can kill it the
 * hard way ({@code kill -9}) and start another on the same data dir. Its output goes to a file beside
 * the data dir.
 */
public final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final URI baseUrl;
    private final Path output;

    private WorkerProcess(Process process, URI baseUrl, Path output) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.output = output;
    }

    public static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code WorkerMain} on 127.0.0.1:{@code port} over {@code dataDir}, without credentials, with {@code env} added. */
    public static Process launch(Path dataDir, int port, Map<String, String> env, Path output) throws IOException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.labdesk.worker.WorkerMain"));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        var e = builder.environment();
        e.keySet().removeIf(k -> k.startsWith("LABDESK_") || k.startsWith("OPENAI_") || k.equals("REDIS_URL"));
        e.put("LABDESK_DATA_DIR", dataDir.toString());
        e.put("LABDESK_PORT", Integer.toString(port));
        e.put("LABDESK_AUTH", "none");
        e.putAll(env);
        return builder.start();
    }

    /** A worker answering {@code /health}, or an AssertionError with its output. */
    public static WorkerProcess start(Path dataDir, int port, Map<String, String> env, Path output) throws Exception {
        var process = launch(dataDir, port, env, output);
        var base = URI.create("http://127.0.0.1:" + port);
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("the worker exited with " + process.exitValue() + ":\n" + Files.readString(output));
            try {
                var r = http.send(HttpRequest.newBuilder(base.resolve("/sessions")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return new WorkerProcess(process, base, output);
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("the worker did not start within 60 s:\n" + Files.readString(output));
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public Process process() {
        return process;
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed or closed. */
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
