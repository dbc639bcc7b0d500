package dev.labdesk.worker.bench;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.events.EventLog;
import dev.labdesk.worker.events.InMemoryEventLog;
import dev.labdesk.worker.events.SqliteEventLog;
import dev.labdesk.worker.session.SqliteSessionStore;
import dev.labdesk.worker.sqlite.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The durable store on its own, without HTTP: a commit's latency (an fsync of the WAL), batched appends
 * by one and by several posters (records/s, every append durable), and listing 1,000 sessions; or,
 * with {@code chat}, the durable chat store's cost per turn ({@link ChatTurns}).
 * Usage: {@code SqliteStoreBench DIR} or {@code SqliteStoreBench DIR chat [USERS] [SECONDS]}. Prints one JSON line.
 */
public final class SqliteStoreBench {
    public static void main(String[] args) throws Exception {
        var dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")), "sqlite-bench");
        var mapper = Json.newMapper();
        if (args.length > 1 && args[1].equals("chat")) {
            System.out.println(ChatTurns.run(dir, args.length > 2 ? Integer.parseInt(args[2]) : 1_000, args.length > 3 ? Integer.parseInt(args[3]) : 10));
            return;
        }
        try (var db = Database.open(dir)) {
            var lat = new double[200];
            for (int i = 0; i < lat.length; i++) {
                long t = System.nanoTime();
                db.write(h -> h.update("INSERT OR REPLACE INTO run_tokens (hash, session_id) VALUES ('bench', 'x')"));
                lat[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(lat);
            var log = new SqliteEventLog(db, 200_000, Clock.systemUTC(), mapper);
            double one = appendRate(log, 1, 500, 200_000);
            double four = appendRate(log, 4, 500, 400_000);
            double four1000 = appendRate(log, 4, 1000, 400_000);
            double memory = appendRate(new InMemoryEventLog(200_000), 1, 500, 200_000); // the baseline, same machine, same moment

            var sessions = new SqliteSessionStore(db, mapper, Clock.systemUTC());
            var context = new ExperimentContext("bench", "list benchmark", null, null, null, List.of(), null);
            var start = Instant.now();
            for (int i = 0; i < 1_000; i++) {
                var id = SessionIds.newId();
                var at = start.plusMillis(i);
                sessions.create(new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.SUCCEEDED, context, 3, 1000, at, at, null,
                        i % 2 == 0 ? "ada" : "bob"), List.of());
            }
            var listMs = new double[50];
            var ownedMs = new double[50];
            for (int i = 0; i < listMs.length; i++) {
                long t = System.nanoTime();
                if (sessions.list(1_000).size() != 1_000) throw new IllegalStateException("list");
                listMs[i] = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                if (sessions.listOwnedBy("ada", 1_000).size() != 500) throw new IllegalStateException("owned");
                ownedMs[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(listMs);
            Arrays.sort(ownedMs);
            System.out.printf("{\"commit_ms\":{\"p50\":%.2f,\"p99\":%.2f},\"append_records_per_s\":{\"1x500\":%.0f,\"4x500\":%.0f,\"4x1000\":%.0f,\"in_memory_1x500\":%.0f},"
                            + "\"list_1000_sessions_ms\":{\"p50\":%.2f,\"max\":%.2f},\"list_owned_500_ms\":{\"p50\":%.2f,\"max\":%.2f}}%n",
                    lat[lat.length / 2], lat[lat.length * 99 / 100], one, four, four1000, memory, listMs[listMs.length / 2], listMs[listMs.length - 1],
                    ownedMs[ownedMs.length / 2], ownedMs[ownedMs.length - 1]);
        }
    }

    /** Records/s of {@code posters} threads each appending batches of {@code batch} to its own session. */
    private static double appendRate(EventLog log, int posters, int batch, int records) throws Exception {
        try (var pool = Executors.newFixedThreadPool(posters)) {
            var t = System.nanoTime();
            var done = new ArrayList<Future<?>>();
            for (int p = 0; p < posters; p++) {
                var session = SessionIds.newId();
                done.add(pool.submit(() -> {
                    for (int n = 0; n < records / posters; n += batch) {
                        var events = new ArrayList<SessionEvent>(batch);
                        for (int i = 0; i < batch; i++)
                            events.add(new SessionEvent.Log(session, 0, Instant.now(), "INFO", "bench", "record " + (n + i) + " of a batched benchmark run"));
                        log.appendAll(events);
                    }
                    return null;
                }));
            }
            for (var f : done) f.get();
            return records / (Duration.ofNanos(System.nanoTime() - t).toNanos() / 1e9);
        }
    }
}
