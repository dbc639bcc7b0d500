package dev.labdesk.worker.events.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Limits;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;
import dev.labdesk.worker.testing.SseReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caps on open live-log streams, over real HTTP: per session and per principal, answered with
 * 429 and {@code Retry-After}, and a slot given back when its stream ends or its client goes away.
 */
class SseSubscriberCapsTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final String ADA = "ada-key-0123456789abcdef";
    private static final String BOB = "bob-key-0123456789abcdef";
    private static final String ROOT = "root-key-0123456789abcdef";
    private static final int PER_SESSION = 2;
    private static final int PER_PRINCIPAL = 3;
    @TempDir Path dataDir;
    private Worker worker;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<SseReader> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        var auth = AuthSettings.keys(List.of(ApiKey.plain("ada", ADA, false), ApiKey.plain("bob", BOB, false), ApiKey.plain("root", ROOT, true)));
        worker = new Worker(configure(WorkerConfig.local(dataDir).withAuth(auth)
                .withLimits(Limits.defaults().withSseSubscribers(PER_SESSION, PER_PRINCIPAL)))).start();
    }

    /** The worker's configuration; a subclass runs the same tests on another event log. */
    WorkerConfig configure(WorkerConfig config) {
        return config;
    }

    @AfterEach
    void stop() throws Exception {
        for (var r : open) r.close();
        worker.close();
        http.close();
    }

    /** A running session owned by {@code owner}, registered in the worker's real store. */
    private String session(String owner) {
        var id = SessionIds.newId();
        var now = Instant.now();
        worker.sessions().store().create(new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.RUNNING,
                new ExperimentContext("caps", "test", null, null, null, null, null), 0, 0, now, now, null, owner), List.of());
        worker.events().append(new SessionEvent.Status(id, 0, now, SessionStatus.RUNNING));
        return id;
    }

    private HttpResponse<java.io.InputStream> request(String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Opens a stream and reads its first event, so the subscriber is surely holding its slot. */
    private SseReader subscribe(String path, String key) throws Exception {
        var r = request(path, key);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        var sse = new SseReader(r.body());
        open.add(sse);
        assertThat(sse.next().event()).isEqualTo("status");
        return sse;
    }

    private void assertRefused(String path, String key, String because) throws Exception {
        var r = request(path, key);
        String body;
        try (var in = r.body()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(r.statusCode()).as(body).isEqualTo(429);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(JSON.readTree(body).get("detail").asText()).contains(because);
    }

    @Test
    void aSessionTakesNoMoreStreamsThanItsCapFromAnyoneEvenAnAdmin() throws Exception {
        var id = session("ada");
        subscribe("/sessions/" + id + "/events", ADA);
        subscribe("/stream?session_id=" + id, ADA); // both routes count against the same session

        assertRefused("/sessions/" + id + "/events", ADA, "this session already has 2");
        assertRefused("/stream?session_id=" + id, ROOT, "this session already has 2");
        subscribe("/sessions/" + session("ada") + "/events", ADA); // another session of ada's is still open to her
    }

    @Test
    void aPrincipalHoldsNoMoreStreamsThanItsCapWhileOthersStillSubscribe() throws Exception {
        var first = session("ada");
        var second = session("ada");
        subscribe("/sessions/" + first + "/events", ADA);
        subscribe("/sessions/" + first + "/events", ADA);
        subscribe("/sessions/" + second + "/events", ADA);

        assertRefused("/sessions/" + second + "/events", ADA, "you already hold 3");
        subscribe("/sessions/" + session("bob") + "/events", BOB);
        subscribe("/sessions/" + second + "/events", ROOT); // the session has room: only ada is at her cap
    }

    @Test
    void aStreamThatEndsGivesItsSlotBack() throws Exception {
        var id = session("ada");
        var a = subscribe("/sessions/" + id + "/events", ADA);
        var b = subscribe("/sessions/" + id + "/events", ADA);
        assertRefused("/sessions/" + id + "/events", ADA, "this session already has 2");

        worker.events().append(new SessionEvent.Status(id, 0, Instant.now(), SessionStatus.SUCCEEDED));
        for (var sse : List.of(a, b)) {
            SseReader.Frame f;
            while ((f = sse.next()) != null && !f.event().equals("end")) assertThat(f.event()).isEqualTo("status");
            assertThat(f).as("the stream ended with 'end'").isNotNull();
            assertThat(sse.next()).as("and closed").isNull();
        }
        // the server frees the slot as its handler returns, just after the last byte went out
        var deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            var r = request("/sessions/" + id + "/events", ADA);
            try (var in = r.body()) {
                if (r.statusCode() == 200) {
                    var sse = new SseReader(in);
                    assertThat(sse.next().event()).isEqualTo("status");
                    break;
                }
                assertThat(r.statusCode()).isEqualTo(429);
            }
            assertThat(System.nanoTime()).as("a slot came back within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aClientThatGoesAwayGivesItsSlotBack() throws Exception {
        var id = session("ada");
        subscribe("/sessions/" + id + "/events", ADA);
        var socket = new Socket("127.0.0.1", worker.port());
        socket.getOutputStream().write(("GET /sessions/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1:" + worker.port()
                + "\r\nAuthorization: Bearer " + ADA + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        String line;
        while ((line = in.readLine()) != null && !line.startsWith("event: status")) {
            // headers, the retry frame
        }
        assertThat(line).as("the raw client got its first event").isEqualTo("event: status");
        assertRefused("/sessions/" + id + "/events", ADA, "this session already has 2");

        long closedAt = System.nanoTime();
        socket.close(); // the client goes away without a word; the server learns it when it next writes
        var deadline = closedAt + EventRoutes.HEARTBEAT.plusSeconds(10).toNanos();
        while (true) {
            var r = request("/sessions/" + id + "/events", ADA);
            if (r.statusCode() == 200) {
                var sse = new SseReader(r.body());
                open.add(sse);
                assertThat(sse.next().event()).isEqualTo("status");
                break;
            }
            r.body().close();
            assertThat(System.nanoTime()).as("the slot came back within a heartbeat").isLessThan(deadline);
            Thread.sleep(50);
        }
        System.out.printf("slot of a vanished client freed after %d ms%n", (System.nanoTime() - closedAt) / 1_000_000);
    }

    @Test
    void aConnectionWhoseStreamEndedServesItsNextRequest() throws Exception {
        var id = session("ada");
        worker.events().append(new SessionEvent.Status(id, 0, Instant.now(), SessionStatus.SUCCEEDED));
        try (var socket = new Socket("127.0.0.1", worker.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.write(("GET /sessions/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ADA + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            boolean sawEnd = false;
            while ((line = in.readLine()) != null && !line.equals("0")) sawEnd |= line.equals("event: end"); // up to the last chunk
            assertThat(sawEnd).isTrue();
            assertThat(in.readLine()).isEmpty();

            // the same connection, kept alive: Jetty reads its next request, nothing of it was taken by the stream's watch
            out.write(("GET /sessions/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ADA + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }
}
