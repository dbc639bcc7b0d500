package dev.labdesk.worker.sqlite;

import dev.labdesk.worker.session.RunTokens;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.bench.LogBatches;
import dev.labdesk.worker.session.SqliteSessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full disk: SQLite's own limit on the database's size ({@code PRAGMA max_page_count}) makes it fail
 * a write with {@code SQLITE_FULL}, the error a full disk gives. Log posts then answer 503 with
 * {@code Retry-After}, nothing acknowledged is lost, and the same batch retried once there is room is
 * appended once.
 */
class DiskFullTest {
    @TempDir Path data;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aWriteSqliteRollsBackWholeOnAFullDiskFailsAloneAndTheWritesAfterItCommit() {
        try (var db = Database.open(data)) {
            db.write(h -> h.update("INSERT INTO events (session_id, seq, terminal, frame) VALUES ('s', 1, 0, x'00')"));
            long pages = db.read(h -> h.queryLong("PRAGMA page_count", 0));
            db.write(h -> {
                h.execute("PRAGMA max_page_count = " + pages);
                return null;
            });
            // one row, no statement journal: on SQLITE_FULL SQLite rolls the whole transaction back itself
            assertThatThrownBy(() -> db.write(h -> h.update("INSERT INTO events (session_id, seq, terminal, frame) VALUES ('s', 2, 0, ?)", new byte[1 << 20])))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("full");
            db.write(h -> {
                h.execute("PRAGMA max_page_count = 1073741823");
                return null;
            });
            db.write(h -> h.update("INSERT INTO events (session_id, seq, terminal, frame) VALUES ('s', 3, 0, x'00')"));
            db.write(h -> h.update("INSERT INTO events (session_id, seq, terminal, frame) VALUES ('s', 4, 0, x'00')"));
        }
        try (var db = Database.open(data)) {
            long rows = db.read(h -> h.queryLong("SELECT count(*) FROM events WHERE session_id = 's' AND seq IN (1, 3, 4)", 0));
            long failed = db.read(h -> h.queryLong("SELECT count(*) FROM events WHERE session_id = 's' AND seq = 2", 0));
            assertThat(rows).as("the writes after the failed one committed").isEqualTo(3);
            assertThat(failed).isZero();
        }
    }

    @Test
    void logPostsAnswer503WhileTheDiskIsFullAndTheRetriedBatchIsAppendedOnceAfter() throws Exception {
        try (var worker = new Worker(WorkerConfig.local(data)).start()) {
            var store = worker.sessions().store();
            var id = SessionIds.newId();
            var now = Instant.now();
            store.create(new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.QUEUED,
                    new ExperimentContext("full", "a full disk", null, null, null, List.of(), null), 0, 0, now, now, null, "local"), List.of());
            store.transition(id, SessionStatus.RUNNING, null);
            var token = UUID.randomUUID().toString();
            store.saveRunToken(id, RunTokens.hash(token));

            assertThat(post(worker, token, "before-", 0, 500, "k-1").statusCode()).isEqualTo(202);
            var db = ((SqliteSessionStore) store).database();
            long pages = db.read(h -> h.queryLong("PRAGMA page_count", 0));
            db.write(h -> {
                h.execute("PRAGMA max_page_count = " + pages);
                return null;
            });

            var refused = post(worker, token, "during-", 0, 2_000, "k-2");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("full");
            assertThat(worker.events().lastSeq(id)).isEqualTo(500);

            db.write(h -> {
                h.execute("PRAGMA max_page_count = 1073741823");
                return null;
            });
            var retried = post(worker, token, "during-", 0, 2_000, "k-2");
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
            assertThat(post(worker, token, "during-", 0, 2_000, "k-2").headers().firstValue("Idempotent-Replayed")).contains("true");

            var all = worker.events().read(id, 0, 10_000, Duration.ZERO).events();
            assertThat(all).extracting(SessionEvent::seq).containsExactlyElementsOf(IntStream.rangeClosed(1, 2_500).mapToObj(i -> (long) i).toList());
            assertThat(((SessionEvent.Log) all.get(499)).message()).isEqualTo("before-499");
            assertThat(((SessionEvent.Log) all.get(500)).message()).isEqualTo("during-0");
            assertThat(((SessionEvent.Log) all.getLast()).message()).isEqualTo("during-1999");
        }
    }

    private HttpResponse<String> post(Worker worker, String token, String prefix, int from, int to, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(worker.baseUrl().resolve("/log")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(LogBatches.json(prefix, from, to))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
