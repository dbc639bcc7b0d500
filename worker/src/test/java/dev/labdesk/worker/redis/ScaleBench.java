package dev.labdesk.worker.redis;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.RegisteredRun;

import dev.labdesk.worker.bench.LogBatches;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * SSE delivery through Redis: the agent's batched {@code POST /log} goes to worker A, one SSE
 * subscriber listens on worker B, both on one real redis-server; and the same on a single in-memory
 * worker for comparison. Latency is from a record's batch being sent to its arrival on the stream.
 * Usage: {@code ScaleBench memory|redis RECORDS BATCH}. Prints one JSON line.
 */
public final class ScaleBench {
    private static final Pattern MARK = Pattern.compile("rec-(\\d+)");

    public static void main(String[] args) throws Exception {
        var mode = args[0];
        int records = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        var tmp = Files.createTempDirectory("labdesk-scale-bench");
        RedisServer redis = null;
        Worker a;
        Worker b;
        if (mode.equals("redis")) {
            redis = RedisServer.start(Files.createDirectories(tmp.resolve("redis")));
            a = new Worker(WorkerConfig.local(Files.createDirectories(tmp.resolve("a"))).withRedis(redis.url())).start();
            b = new Worker(WorkerConfig.local(Files.createDirectories(tmp.resolve("b"))).withRedis(redis.url())).start();
        } else {
            a = new Worker(WorkerConfig.local(Files.createDirectories(tmp.resolve("a")))).start();
            b = a;
        }
        var run = RegisteredRun.in(a);
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var sentAt = new long[records];
        var arrivedAt = new long[records];
        var received = new AtomicInteger();
        var done = new CountDownLatch(1);
        var stream = http.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/sessions/" + run.sessionId() + "/events?after=1"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        var reader = Thread.ofPlatform().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8), 1 << 16)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("data:")) continue;
                    var m = MARK.matcher(line);
                    if (!m.find()) continue;
                    int n = Integer.parseInt(m.group(1));
                    if (n < records && arrivedAt[n] == 0) {
                        arrivedAt[n] = System.nanoTime();
                        if (received.incrementAndGet() == records) break;
                    }
                }
            } catch (Exception ignored) {
                // stream closed
            } finally {
                done.countDown();
            }
        });
        Thread.sleep(300);
        long t0 = System.nanoTime();
        int failures = 0;
        for (int from = 0; from < records; from += batch) {
            int to = Math.min(records, from + batch);
            var json = LogBatches.json("rec-", from, to);
            long now = System.nanoTime();
            for (int i = from; i < to; i++) sentAt[i] = now;
            var r = http.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/log")).header("Authorization", "Bearer " + run.token())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2) failures++;
        }
        long postEnd = System.nanoTime();
        done.await(120, TimeUnit.SECONDS);
        long last = Arrays.stream(arrivedAt).max().orElse(postEnd);
        var lat = new double[received.get()];
        int k = 0;
        for (int i = 0; i < records; i++) if (arrivedAt[i] != 0 && k < lat.length) lat[k++] = (arrivedAt[i] - sentAt[i]) / 1e6;
        Arrays.sort(lat);
        System.out.printf("{\"mode\":\"%s\",\"records\":%d,\"batch\":%d,\"received\":%d,\"lost\":%d,\"post_failures\":%d,"
                        + "\"posted_per_s\":%.0f,\"delivered_per_s\":%.0f,\"latency\":{\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}}%n",
                mode, records, batch, received.get(), records - received.get(), failures, records / ((postEnd - t0) / 1e9),
                received.get() / ((last - t0) / 1e9), LogBatches.pct(lat, 50), LogBatches.pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1]);
        reader.interrupt();
        a.close();
        if (b != a) b.close();
        if (redis != null) redis.close();
        System.exit(0);
    }

}
