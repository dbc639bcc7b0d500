package dev.labdesk.worker.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.events.InMemoryEventLog;
import dev.labdesk.worker.testing.MovableClock;
import dev.labdesk.worker.testing.RawMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** LABDESK_RETENTION without Redis: finished sessions and their logs are forgotten, running ones never. */
class MemoryRetentionTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Duration RETENTION = Duration.ofHours(1);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T08:00:00Z"));
    private final InMemorySessionStore sessions = new InMemorySessionStore(clock, RETENTION);
    private final InMemoryEventLog events = new InMemoryEventLog(1000, RETENTION, clock);

    private void session(String id, SessionStatus... path) {
        var context = new ExperimentContext("Retention", "kept or not", null, null, null, List.of(), Map.of());
        sessions.create(new SessionInfo(id, "dataset-volume-" + id, SessionStatus.QUEUED, context, 1, 3,
                clock.instant(), clock.instant(), null, "local"), List.of(new FileEntry("a.csv", 3, "00")));
        events.append(new SessionEvent.Status(id, 0, clock.instant(), SessionStatus.QUEUED));
        for (var next : path) {
            sessions.transition(id, next, null);
            events.append(new SessionEvent.Status(id, 0, clock.instant(), next));
        }
    }

    @Test
    void aFinishedSessionAndItsLogGoOnceUnchangedForTheRetentionTime() throws Exception {
        var sweeper = new MemoryRetention(sessions, events, RETENTION);
        try {
            session("done", SessionStatus.RUNNING, SessionStatus.SUCCEEDED);
            sessions.saveRunToken("done", "token-hash");
            clock.advance(RETENTION.minusMinutes(1));
            assertThat(sweeper.sweep()).isZero();
            assertThat(sessions.get("done")).isPresent();

            clock.advance(Duration.ofMinutes(2));
            assertThat(sweeper.sweep()).isEqualTo(2); // the session and its event log
            assertThat(sessions.get("done")).isEmpty();
            assertThat(sessions.manifest("done")).isEmpty();
            assertThat(sessions.sessionForToken("token-hash")).isEmpty();
            assertThat(events.lastSeq("done")).isZero();
        } finally {
            sweeper.close();
        }
    }

    @Test
    void aQueuedOrRunningSessionStaysHoweverQuietItsAgentIs() throws Exception {
        var sweeper = new MemoryRetention(sessions, events, RETENTION);
        try {
            session("queued");
            session("running", SessionStatus.RUNNING);
            session("failed", SessionStatus.RUNNING, SessionStatus.FAILED);
            clock.advance(RETENTION.multipliedBy(5));
            assertThat(sweeper.sweep()).isEqualTo(2);
            assertThat(sessions.get("queued")).isPresent();
            assertThat(sessions.get("running")).isPresent();
            assertThat(events.lastSeq("running")).isEqualTo(2);
            assertThat(sessions.get("failed")).isEmpty();
            assertThat(events.lastSeq("failed")).isZero();
        } finally {
            sweeper.close();
        }
    }

    @Test
    void aLogGoesWithItsSessionAndALogOfNoSessionOnceIdle() throws Exception {
        var sweeper = new MemoryRetention(sessions, events, RETENTION);
        try {
            session("late", SessionStatus.RUNNING, SessionStatus.CANCELLED);
            clock.advance(RETENTION.minusMinutes(5));
            events.read("never-uploaded", 0, 10, Duration.ZERO); // a reader of an unknown id makes an empty log
            events.append(new SessionEvent.Log("late", 0, clock.instant(), "INFO", "agent", "a last word"));
            clock.advance(Duration.ofMinutes(10));
            // the session is past its time and goes; its log was written 10 minutes ago but goes with it.
            // The unknown id's empty log is not yet idle for an hour.
            assertThat(sweeper.sweep()).isEqualTo(2);
            assertThat(events.lastSeq("late")).isZero();
            clock.advance(RETENTION);
            assertThat(sweeper.sweep()).isEqualTo(1);
            assertThat(sweeper.sweep()).isZero();
        } finally {
            sweeper.close();
        }
    }

    @Test
    void theSweepPeriodIsATenthOfTheRetentionWithinBounds() {
        assertThat(RetentionSweep.period(Duration.ofDays(7))).isEqualTo(RetentionSweep.MAX_PERIOD);
        assertThat(RetentionSweep.period(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetentionSweep.period(Duration.ofMillis(200))).isEqualTo(RetentionSweep.MIN_PERIOD);
    }

    @Test
    void aWorkerWithoutRedisForgetsAFinishedSessionButKeepsItsVolume(@TempDir Path dataDir) throws Exception {
        var config = WorkerConfig.local(dataDir).with(b -> b.retention(Duration.ofSeconds(2)));
        try (var worker = new Worker(config).start()) {
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var body = new RawMultipart().field("name", "Retention").field("description", "forgotten after 2 s")
                    .file("data/t.csv", "x,y\n1,2\n").build();
            var upload = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/upload"))
                    .header("Content-Type", RawMultipart.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
            var id = JSON.readTree(upload.body()).get("session_id").asText();
            var session = URI.create(worker.baseUrl() + "/sessions/" + id);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean finished = false;
            int lastCode = 0;
            while (System.nanoTime() < deadline) {
                var r = http.send(HttpRequest.newBuilder(session).build(), HttpResponse.BodyHandlers.ofString());
                lastCode = r.statusCode();
                if (lastCode == 200 && SessionStatus.fromWire(JSON.readTree(r.body()).get("status").asText()).terminal()) finished = true;
                if (lastCode == 404) break;
                Thread.sleep(50); // polling the public route, as a client would
            }
            assertThat(finished).as("the session finished before it was forgotten").isTrue();
            assertThat(lastCode).as("GET /sessions/{id} once the retention has passed").isEqualTo(404);
            assertThat(worker.events().lastSeq(id)).isZero();
            assertThat(dataDir.resolve("volumes/dataset-volume-" + id + "/data/t.csv")).exists();
        }
    }
}
