package dev.labdesk.worker.bench;

import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.worker.events.SqliteEventLog;
import dev.labdesk.worker.sqlite.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The durable store's share of the live log's tail latency, without HTTP: one-record appends paced at
 * RATE/s (as the live-log benchmark posts them), each timed until it is committed and visible.
 * A commit that waits for a WAL checkpoint shows here as an append of several milliseconds.
 * Usage: {@code PacedAppendBench DIR [RECORDS] [RATE]} (10,000 at 1,000/s after as many to warm up). Prints one JSON line.
 */
public final class PacedAppendBench {
    public static void main(String[] args) throws Exception {
        var dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")), "paced-bench");
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        try (var db = Database.open(dir)) {
            var log = new SqliteEventLog(db, 200_000, Clock.systemUTC(), Json.newMapper());
            double[] ms = null;
            for (int round = 0; round < 2; round++) { // the first round warms the JIT up
                var session = SessionIds.newId();
                ms = new double[records];
                long start = System.nanoTime(), period = 1_000_000_000L / rate;
                for (int i = 0; i < records; i++) {
                    long due = start + i * period;
                    for (long now; (now = System.nanoTime()) < due; ) LockSupport.parkNanos(due - now);
                    long t = System.nanoTime();
                    log.append(new SessionEvent.Log(session, 0, Instant.now(), "INFO", "bench", "a paced record of the live-log benchmark, number " + i));
                    ms[i] = (System.nanoTime() - t) / 1e6;
                }
            }
            Arrays.sort(ms);
            long over2 = Arrays.stream(ms).filter(x -> x > 2).count();
            System.out.printf("{\"records\":%d,\"rate\":%d,\"append_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"p99_9\":%.3f,\"max\":%.1f},\"over_2_ms\":%d}%n",
                    records, rate, LogBatches.pct(ms, 50), LogBatches.pct(ms, 99), LogBatches.pct(ms, 99.9), ms[ms.length - 1], over2);
        }
    }
}
