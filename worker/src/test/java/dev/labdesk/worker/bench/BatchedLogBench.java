package dev.labdesk.worker.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sustained records/s through the agent's own path: batched JSON posts to {@code /log} (as
 * {@code AgentMain}'s log sink sends them) → one SSE subscriber. Latency is from a record's batch
 * being sent to its arrival on the stream.
 * Usage: {@code BatchedLogBench BASE SESSION_ID TOKEN RECORDS BATCH}. Prints one JSON line.
 */
public final class BatchedLogBench {
    private static final byte[] MARKER = "batched-".getBytes(StandardCharsets.US_ASCII);

    private static boolean marker(byte[] buf, int at) {
        for (int k = 0; k < MARKER.length; k++) if (buf[at + k] != MARKER[k]) return false;
        return true;
    }

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
            // bytes scanned for the marker, not lines decoded and matched: the client's own CPU is not what is measured
            var buf = new byte[1 << 16];
            int kept = 0;
            try (body) {
                for (int n; (n = body.read(buf, kept, buf.length - kept)) > 0; ) {
                    int end = kept + n, i = 0;
                    for (; i <= end - MARKER.length; i++) {
                        if (buf[i] != 'b' || !marker(buf, i)) continue;
                        int j = i + MARKER.length, v = 0;
                        while (j < end && buf[j] >= '0' && buf[j] <= '9') v = v * 10 + (buf[j++] - '0');
                        if (j == end) break; // the number may go on in the next read: kept from its marker
                        if (v < records && arrivedAt[v] == 0) {
                            arrivedAt[v] = System.nanoTime();
                            if (received.incrementAndGet() == records) return;
                        }
                        i = j - 1;
                    }
                    kept = end - i; // a marker cut by the read's end, or the bytes that may begin one
                    System.arraycopy(buf, i, buf, 0, kept);
                }
            } catch (Exception ignored) {
                // stream closed
            } finally {
                done.countDown();
            }
        });
        // the bodies are made before the clock starts, as an agent has its records before it posts them
        var bodies = new ArrayList<byte[]>();
        for (int from = 0; from < records; from += batch)
            bodies.add(LogBatches.json(new String(MARKER, StandardCharsets.US_ASCII), from, Math.min(records, from + batch)).getBytes(StandardCharsets.UTF_8));
        var logUri = URI.create(base + "/log");
        ready.await();
        Thread.sleep(200);
        long t0 = System.nanoTime();
        int failures = 0;
        for (int b = 0, from = 0; from < records; b++, from += batch) {
            int to = Math.min(records, from + batch);
            long now = System.nanoTime();
            for (int i = from; i < to; i++) sentAt[i] = now;
            var r = http.send(HttpRequest.newBuilder(logUri).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(b))).build(),
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
