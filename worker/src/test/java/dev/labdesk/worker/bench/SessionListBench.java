package dev.labdesk.worker.bench;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.session.SqliteSessionStore;
import dev.labdesk.worker.sqlite.Database;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A long history listed over HTTP ({@code bench/session-list.sh}):
 * {@code SessionListBench seed DATA_DIR N [FILES]} writes N finished sessions of the local user into the worker's
 * database (as a worker that ran them would have: each with an experiment form, a manifest of FILES files
 * (2 unless given), an owner),
 * before the worker starts on that data dir;
 * {@code SessionListBench time BASE_URL LIMIT REQUESTS} then times {@code GET /sessions?limit=LIMIT}, each
 * answer read whole and its count checked, and prints one JSON line (p50/p99/max in ms).
 */
public final class SessionListBench {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "seed" -> seed(Path.of(args[1]), Integer.parseInt(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 2);
            case "time" -> time(URI.create(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("seed DATA_DIR N [FILES] | time BASE_URL LIMIT REQUESTS");
        }
    }

    private static void seed(Path dataDir, int n, int files) {
        try (var db = Database.open(dataDir)) {
            var store = new SqliteSessionStore(db, Json.newMapper(), Clock.systemUTC());
            var start = Instant.now().minus(Duration.ofDays(30));
            for (int i = 0; i < n; i++) {
                var id = SessionIds.newId();
                var at = start.plusSeconds(i * 60L);
                var context = new ExperimentContext("Growth curves, plate " + i, "OD600 of two strains over 24 h at 37 C, three replicates each",
                        "Compare the mutant's growth rate with the wild type's", "The mutant grows more slowly", "ada@example.org",
                        List.of("growth", "od600", "e-coli"), Map.of("temperature_c", 37, "replicates", 3));
                var manifest = java.util.stream.IntStream.range(0, files)
                        .mapToObj(f -> new FileEntry("plates/day" + f + ".csv", 48_213 + f, Integer.toHexString(f).repeat(64).substring(0, 64))).toList();
                store.create(new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.QUEUED, context, files, 48_213L * files, at, at, null, "local"), manifest);
                store.transition(id, SessionStatus.RUNNING, null);
                store.transition(id, i % 10 == 0 ? SessionStatus.FAILED : SessionStatus.SUCCEEDED, i % 10 == 0 ? "the agent ran out of memory" : null);
            }
        }
    }

    private static void time(URI base, int limit, int requests) throws Exception {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var request = HttpRequest.newBuilder(base.resolve("/sessions?limit=" + limit)).timeout(Duration.ofSeconds(30)).build();
        var mapper = Json.newMapper();
        for (int i = 0; i < 20; i++) http.send(request, HttpResponse.BodyHandlers.ofByteArray()); // the JIT's warm-up
        var ms = new double[requests];
        int listed = 0;
        long bytes = 0;
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            var r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (r.statusCode() != 200) throw new IllegalStateException("GET /sessions answered " + r.statusCode());
            listed = mapper.readTree(r.body()).size();
            bytes = r.body().length;
        }
        Arrays.sort(ms);
        System.out.printf("{\"limit\":%d,\"listed\":%d,\"bytes\":%d,\"requests\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}%n",
                limit, listed, bytes, requests, LogBatches.pct(ms, 50), LogBatches.pct(ms, 99), ms[ms.length - 1]);
    }
}
