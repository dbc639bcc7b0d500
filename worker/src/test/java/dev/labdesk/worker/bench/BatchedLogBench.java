package dev.labdesk.worker.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Sustained records/s through the agent's own path: batched JSON posts to {@code /log} (as
 * {@code AgentMain}'s log sink sends them) → one SSE subscriber. Latency is from a record's batch
 * being sent to its arrival on the stream.
 * Usage: {@code BatchedLogBench BASE SESSION_ID TOKEN RECORDS BATCH}. Prints one JSON line.
 */
public final class BatchedLogBench {
    private static final Pattern MARK = Pattern.compile("batched-(\\d+)");

    public static void main(String[] args) throws Exception {
        var base = args[0];
        var session = args[1];
        var token = args[2];
        int records = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var sentAt = new long[records];
        var arrivedAt = new long[records];
        var received = new AtomicInteger();
        var done = new CountDownLatch(1);
        var ready = new CountDownLatch(1);

        // a fresh session per run (BenchWorker), so the stream from its start is this run's records only
        var stream = http.send(HttpRequest.newBuilder(URI.create(base + "/stream?session_id=" + session))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        var body = stream.body();
        var reader = Thread.ofPlatform().start(() -> {
            ready.countDown();
            try (var in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
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
        ready.await();
        Thread.sleep(200);
        long t0 = System.nanoTime();
        int failures = 0;
        for (int from = 0; from < records; from += batch) {
            int to = Math.min(records, from + batch);
            var json = LogBatches.json("batched-", from, to);
            long now = System.nanoTime();
            for (int i = from; i < to; i++) sentAt[i] = now;
            var r = http.send(HttpRequest.newBuilder(URI.create(base + "/log")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2) failures++;
        }
        long postEnd = System.nanoTime();
        done.await(60, TimeUnit.SECONDS);
        long last = Arrays.stream(arrivedAt).max().orElse(postEnd);
        var lat = new double[received.get()];
        int k = 0;
        for (int i = 0; i < records; i++) if (arrivedAt[i] != 0 && k < lat.length) lat[k++] = (arrivedAt[i] - sentAt[i]) / 1e6;
        Arrays.sort(lat);
        System.out.printf("{\"records\":%d,\"batch\":%d,\"received\":%d,\"lost\":%d,\"post_failures\":%d,\"posted_per_s\":%.0f,"
                        + "\"delivered_per_s\":%.0f,\"latency\":{\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}}%n",
                records, batch, received.get(), records - received.get(), failures, records / ((postEnd - t0) / 1e9),
                received.get() / ((last - t0) / 1e9), LogBatches.pct(lat, 50), LogBatches.pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1]);
        reader.interrupt();
        System.exit(0);
    }

}
