package dev.labdesk.worker.events.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.SseReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The SSE routes over real HTTP against a real worker's event log. */
class SseStreamTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir Path dataDir;
    private Worker worker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    private String session() {
        var id = SessionIds.newId();
        var now = Instant.now();
        worker.sessions().store().create(new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.RUNNING,
                new ExperimentContext("sse", "test", null, null, null, null, null), 0, 0, now, now, null, "local"), List.of());
        return id;
    }

    private void appendLogs(String id, int from, int to) {
        for (int i = from; i < to; i++)
            worker.events().append(new SessionEvent.Log(id, 0, Instant.now(), "INFO", "test", "line " + i));
    }

    private void finish(String id) {
        worker.events().append(new SessionEvent.Status(id, 0, Instant.now(), SessionStatus.SUCCEEDED));
    }

    private InputStream open(String path, String lastEventId) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)).header("Accept", "text/event-stream");
        if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("X-Accel-Buffering")).contains("no");
        return response.body();
    }

    @Test
    void resumingAfterRepeatedCutsYieldsTheWholeLogOnceInOrder() throws Exception {
        var id = session();
        int total = 5_000;
        var producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < total; i += 50) {
                appendLogs(id, i, i + 50);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
            finish(id);
        });
        var random = new Random(42);
        var received = new ArrayList<Long>();
        String lastId = null;
        int connections = 0;
        boolean ended = false;
        while (!ended) {
            connections++;
            int cutAfter = connections <= 8 ? 1 + random.nextInt(900) : Integer.MAX_VALUE;
            try (var sse = new SseReader(open("/sessions/" + id + "/events", lastId))) {
                int n = 0;
                SseReader.Frame f;
                while ((f = sse.next()) != null) {
                    if (f.event().equals("end")) {
                        ended = true;
                        break;
                    }
                    assertThat(f.event()).isIn("log", "status");
                    received.add(Long.parseLong(f.id()));
                    lastId = f.id();
                    if (++n == cutAfter) break; // drop the connection mid-stream
                }
            }
        }
        producer.get(30, TimeUnit.SECONDS);
        assertThat(connections).isGreaterThan(8);
        assertThat(received).containsExactlyElementsOf(LongStream.rangeClosed(1, total + 1).boxed().toList());
    }

    @Test
    void afterQueryParameterResumesLikeLastEventId() throws Exception {
        var id = session();
        appendLogs(id, 0, 10);
        finish(id);
        try (var sse = new SseReader(open("/stream?session_id=" + id + "&after=7", null))) {
            assertThat(sse.next().id()).isEqualTo("8");
            assertThat(sse.next().id()).isEqualTo("9");
            assertThat(sse.next().id()).isEqualTo("10");
            var status = sse.next();
            assertThat(status.event()).isEqualTo("status");
            assertThat(JSON.readTree(status.data()).get("status").asText()).isEqualTo("succeeded");
            var end = sse.next();
            assertThat(end.event()).isEqualTo("end");
            assertThat(JSON.readTree(end.data()).get("last_seq").asLong()).isEqualTo(11);
            assertThat(sse.next()).as("the stream closes after end").isNull();
        }
    }

    @Test
    void resumingAtOrAfterTheFinalEventGets204SoEventSourceStops() throws Exception {
        var id = session();
        appendLogs(id, 0, 3);
        finish(id);
        for (var path : List.of("/sessions/" + id + "/events", "/stream?session_id=" + id + "&after=4", "/stream?session_id=" + id + "&after=9")) {
            var request = HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)).header("Accept", "text/event-stream");
            if (!path.contains("after=")) request.header("Last-Event-ID", "4");
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(204);
            assertThat(response.body()).isEmpty();
        }
        try (var sse = new SseReader(open("/sessions/" + id + "/events", "3"))) {
            assertThat(sse.next().event()).as("one before the final event still gets it, then end").isEqualTo("status");
            assertThat(sse.next().event()).isEqualTo("end");
            assertThat(sse.next()).isNull();
        }
    }

    @Test
    void aGapThatIsNoLongerHeldIsAnnouncedNotSkipped() throws Exception {
        var id = session();
        int retained = Worker.eventsRetainedPerSession();
        appendLogs(id, 0, retained + 25);
        finish(id);
        try (var sse = new SseReader(open("/sessions/" + id + "/events", "3"))) {
            var resync = sse.next();
            assertThat(resync.event()).isEqualTo("resync");
            var body = JSON.readTree(resync.data());
            assertThat(body.get("requested_after").asLong()).isEqualTo(3);
            assertThat(body.get("first_available").asLong()).isEqualTo(27);
            assertThat(sse.next().id()).isEqualTo("27");
        }
    }

    @Test
    void aSubscriberThatNeverReadsHoldsUpNeitherTheLogNorOthers() throws Exception {
        var id = session();
        var stalled = open("/sessions/" + id + "/events", null); // opened, never read
        var fast = new ArrayList<Long>();
        var reader = CompletableFuture.runAsync(() -> {
            try (var sse = new SseReader(open("/sessions/" + id + "/events", null))) {
                SseReader.Frame f;
                while ((f = sse.next()) != null && !f.event().equals("end")) fast.add(Long.parseLong(f.id()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long t0 = System.nanoTime();
        appendLogs(id, 0, 100_000); // ~10 MB of frames: far more than the stalled socket's buffers
        finish(id);
        long appendMillis = (System.nanoTime() - t0) / 1_000_000;
        reader.get(60, TimeUnit.SECONDS);
        assertThat(fast).hasSize(100_001);
        assertThat(appendMillis).as("appends never wait for a subscriber").isLessThan(20_000);
        stalled.close();
    }

    @Test
    void manySubscribersEachGetEverything() throws Exception {
        var id = session();
        var readers = new ArrayList<CompletableFuture<Integer>>();
        for (int s = 0; s < 20; s++) {
            var body = open("/sessions/" + id + "/events", null);
            readers.add(CompletableFuture.supplyAsync(() -> {
                int n = 0;
                try (var sse = new SseReader(body)) {
                    SseReader.Frame f;
                    while ((f = sse.next()) != null && !f.event().equals("end")) n++;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return n;
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        appendLogs(id, 0, 1_000);
        finish(id);
        for (var r : readers) assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(1_001);
    }

    @Test
    void unknownSessionAndBadResumePointAreProblems() throws Exception {
        var unknown = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions/" + SessionIds.newId() + "/events")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        var id = session();
        var bad = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions/" + id + "/events"))
                .header("Last-Event-ID", "abc").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(bad.body()).get("errors").findValuesAsText("field")).containsExactly("Last-Event-ID");
        var missing = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/stream")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(missing.body()).get("errors").findValuesAsText("field")).containsExactly("session_id");
    }
}
