package dev.labdesk.worker.sqlite;

import dev.labdesk.worker.session.RunTokens;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.events.EventLog;
import dev.labdesk.worker.events.SqliteEventLog;
import dev.labdesk.worker.testing.SseReader;
import dev.labdesk.worker.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process killed with {@code kill -9} while four posters flood {@code POST /log} and a reader
 * follows the live log: every record that was answered 202 is in the database afterwards, once, in its
 * poster's order and numbered without holes; every frame the reader was sent is there with the same id
 * and bytes (a reader is never sent a record a crash takes back); and the reader, reconnecting to the
 * restarted worker with {@code Last-Event-ID}, gets exactly what followed, neither twice nor skipped.
 */
class AcknowledgedLogSurvivesKillTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final int POSTERS = 4;
    private static final int PER_POST = 25;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 4_000;

    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (var c : open.reversed()) c.close();
    }

    @Test
    void everyAcknowledgedRecordAndEveryFrameSentSurviveAKillAndTheReaderResumesExactly() throws Exception {
        var data = dir.resolve("data");
        int port = WorkerProcess.freePort();
        var first = WorkerProcess.start(data, port, Map.of(), dir.resolve("first.log"));
        open.add(first);
        var base = first.baseUrl();
        var sessionId = SessionIds.newId();
        var token = UUID.randomUUID().toString();
        runningSessionWithToken(data.resolve(Database.FILE), sessionId, token);

        var seen = new CopyOnWriteArrayList<SseReader.Frame>();
        var stream = http.send(HttpRequest.newBuilder(base.resolve("/sessions/" + sessionId + "/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        var reader = Thread.ofVirtual().start(() -> {
            try (var sse = new SseReader(stream.body())) {
                for (SseReader.Frame f; (f = sse.next()) != null; ) seen.add(f);
            } catch (IOException cut) {
                // the worker was killed
            }
        });

        var acknowledged = new ConcurrentLinkedQueue<String>();
        var killed = new AtomicBoolean();
        var posters = new ArrayList<Thread>();
        for (int p = 0; p < POSTERS; p++) {
            int poster = p;
            posters.add(Thread.ofPlatform().start(() -> {
                for (int n = 0; !killed.get(); n += PER_POST) {
                    var messages = new ArrayList<String>();
                    for (int i = n; i < n + PER_POST; i++) messages.add("p" + poster + "-" + i);
                    try {
                        if (post(base, token, messages) == 202) acknowledged.addAll(messages);
                    } catch (IOException | InterruptedException gone) {
                        return; // the worker is gone: this batch may or may not be in; it was not acknowledged
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL);
        first.killHard();
        killed.set(true);
        for (var t : posters) t.join(Duration.ofSeconds(30));
        reader.join(Duration.ofSeconds(30));
        assertThat(seen).as("the reader was following").isNotEmpty();

        long lastBeforeRestart;
        try (var db = Database.open(data)) {
            var log = new SqliteEventLog(db, 1_000_000, Clock.systemUTC(), JSON);
            var stored = frames(log, sessionId);
            lastBeforeRestart = stored.size();
            assertThat(stored.keySet()).as("numbered 1, 2, 3… without holes").containsExactlyInAnyOrderElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, stored.size()).boxed().toList());
            var events = log.read(sessionId, 0, 1_000_000, Duration.ZERO).events();
            var messages = events.stream().map(e -> ((SessionEvent.Log) e).message()).toList();
            assertThat(new HashSet<>(messages)).as("no record twice").hasSameSizeAs(messages);
            assertThat(messages).as("every record answered 202").containsAll(acknowledged);
            for (int p = 0; p < POSTERS; p++) {
                var prefix = "p" + p + "-";
                var own = messages.stream().filter(m -> m.startsWith(prefix)).map(m -> Integer.parseInt(m.substring(prefix.length()))).toList();
                assertThat(own).as("poster %d's records in its order", p).isSorted();
            }
            for (var f : seen)
                assertThat(stored.get(Long.parseLong(f.id()))).as("the frame sent as id %s", f.id()).isEqualTo(f);
        }

        var second = WorkerProcess.start(data, port, Map.of(), dir.resolve("second.log"));
        open.add(second);
        var resumeAfter = Long.parseLong(seen.getLast().id());
        var rest = new ArrayList<SseReader.Frame>();
        var again = http.send(HttpRequest.newBuilder(second.baseUrl().resolve("/sessions/" + sessionId + "/events"))
                .header("Last-Event-ID", Long.toString(resumeAfter)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (var sse = new SseReader(again.body())) {
            for (SseReader.Frame f; (f = sse.next()) != null; ) rest.add(f);
        }
        var ids = rest.stream().filter(f -> f.id() != null).map(f -> Long.parseLong(f.id())).toList();
        assertThat(ids.getFirst()).isEqualTo(resumeAfter + 1);
        for (int i = 1; i < ids.size(); i++) assertThat(ids.get(i)).isEqualTo(ids.get(i - 1) + 1);
        assertThat(ids.getLast()).as("the restart's failure after everything stored before it").isGreaterThan(lastBeforeRestart);
        assertThat(rest).extracting(SseReader.Frame::event).doesNotContain("resync").endsWith("end");
    }

    /** The session and run token a launched agent would have, written into the running worker's database. */
    private static void runningSessionWithToken(Path database, String sessionId, String token) throws Exception {
        var now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var info = new SessionInfo(sessionId, SessionIds.volumeName(sessionId), SessionStatus.RUNNING,
                new ExperimentContext("kill", "a worker killed mid-flood", null, null, null, List.of(), null), 0, 0, now, now, null, "local");
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            try (var s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
            }
            try (var s = c.prepareStatement("INSERT INTO sessions (id, status, created_at, updated_at, bytes, info, manifest, owner) "
                    + "VALUES (?, 'running', ?, ?, 0, ?, '[]', 'local')")) {
                s.setString(1, sessionId);
                s.setLong(2, micros);
                s.setLong(3, micros);
                s.setString(4, JSON.writeValueAsString(info));
                s.executeUpdate();
            }
            try (var s = c.prepareStatement("INSERT INTO run_tokens (hash, session_id) VALUES (?, ?)")) {
                s.setString(1, RunTokens.hash(token));
                s.setString(2, sessionId);
                s.executeUpdate();
            }
        }
    }

    private int post(URI base, String token, List<String> messages) throws IOException, InterruptedException {
        var body = new StringBuilder("[");
        for (var m : messages) body.append(body.length() > 1 ? "," : "").append("{\"level\":\"INFO\",\"logger\":\"flood\",\"message\":\"").append(m).append("\"}");
        var r = http.send(HttpRequest.newBuilder(base.resolve("/log")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    /** The session's stored frames by seq, as a live reader would be sent them. */
    private static Map<Long, SseReader.Frame> frames(EventLog log, String sessionId) throws Exception {
        var out = new HashMap<Long, SseReader.Frame>();
        var text = new StringBuilder();
        log.readFrames(sessionId, 0, 1_000_000, Duration.ZERO, new EventLog.FrameSink() {
            @Override
            public void gap(long requestedAfter, long firstAvailable) {
                throw new AssertionError("a gap after " + requestedAfter);
            }

            @Override
            public void frame(byte[] bytes, int offset, int length) {
                text.append(new String(bytes, offset, length, StandardCharsets.UTF_8));
            }
        });
        try (var sse = new SseReader(new java.io.ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)))) {
            for (SseReader.Frame f; (f = sse.next()) != null; ) out.put(Long.parseLong(f.id()), f);
        }
        return out;
    }
}
