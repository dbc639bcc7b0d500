package dev.labdesk.worker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Health;
import dev.labdesk.model.Json;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The socket bound before the worker is built: /health answered early and truthfully, every other
 * request held until the worker serves and then answered by it, nothing refused in between.
 */
class FrontDoorTest {
    @TempDir Path dataDir;
    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void writesHealthAsTheMapperDoes() throws Exception {
        var deps = new LinkedHashMap<String, Health.Dependency>();
        deps.put("volumes", new Health.Dependency("ok", "local: /data/\"quoted\" \\ back\tslash, 12 MiB free"));
        deps.put("redis", new Health.Dependency("down", "redis://h:6379: timeout\n\u0001 ünïcode ✓"));
        deps.put("agent", new Health.Dependency("ok", null));
        var health = new Health("unhealthy", "0.1.0", deps);

        var written = HealthJson.write(health);

        assertThat(mapper.readTree(written)).isEqualTo(mapper.readTree(mapper.writeValueAsString(health)));
        assertThat(written).startsWith("{\"status\":\"unhealthy\",\"version\":\"0.1.0\",\"dependencies\":{\"volumes\""); // order kept
    }

    @Test
    void theDateHeaderIsWhatJavaTimeWritesForEverySecondTried() {
        var imf = java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ENGLISH)
                .withZone(java.time.ZoneOffset.UTC);
        var random = new java.util.Random(7);
        var seconds = new java.util.ArrayList<>(java.util.List.of(0L, 951_782_400L /* 2000-02-29 */, 4_107_542_399L /* 2100-02-28 23:59:59 */,
                java.time.Instant.parse("2026-12-02T03:04:05Z").getEpochSecond()));
        for (int i = 0; i < 20_000; i++) seconds.add((long) (random.nextDouble() * 8_000_000_000L)); // 1970 to 2223
        for (long second : seconds) {
            var out = new StringBuilder();
            HttpDate.append(second, out);
            assertThat(out.toString()).as("second %d", second).isEqualTo(imf.format(java.time.Instant.ofEpochSecond(second)));
        }
    }

    @Test
    void healthWaitsForTheCheckThenAnswersItsVerdict() throws Exception {
        try (var door = FrontDoor.open("127.0.0.1", 0)) {
            var early = http.sendAsync(get(door.port(), "/health"), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(200);
            assertThat(early).isNotDone(); // nothing to report yet: it waits, it is not refused

            var down = new LinkedHashMap<String, Health.Dependency>();
            down.put("redis", new Health.Dependency("down", "no route"));
            door.serveHealth(() -> new Health("unhealthy", "dev", down));

            var response = early.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            var date = response.headers().firstValue("Date").orElseThrow();
            assertThat(date).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"); // IMF-fixdate
            var sent = java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertThat(Duration.between(sent, java.time.Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
            assertThat(mapper.readValue(response.body(), Health.class).dependencies().get("redis").detail()).isEqualTo("no route");
        }
    }

    @Test
    void aRequestHeldBeforeTheWorkerExistsIsAnsweredByIt() throws Exception {
        var config = WorkerConfig.local(dataDir);
        try (var door = FrontDoor.open(config.host(), 0);
             var socket = new Socket(InetAddress.getLoopbackAddress(), door.port())) {
            socket.setSoTimeout(30_000);
            // a keep-alive connection with two requests, sent before there is any worker
            var out = socket.getOutputStream();
            out.write(("GET /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var later = CompletableFuture.supplyAsync(() -> read(socket));
            Thread.sleep(200);
            assertThat(later).isNotDone();

            try (var worker = new Worker(config.withPort(door.port()), door).start()) {
                assertThat(worker.port()).isEqualTo(door.port());
                var first = later.get(30, TimeUnit.SECONDS);
                assertThat(first).startsWith("HTTP/1.1 200").endsWith("[]");

                // the same connection, now relayed: the worker's own answer to an unknown session
                out.write(("GET /sessions/nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(read(socket)).startsWith("HTTP/1.1 404").contains("application/problem+json");

                // new connections now reach Jetty itself, /health included
                var health = http.send(get(worker.port(), "/health"), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.headers().firstValue("Connection")).as("Jetty keeps the connection; the door closes its own").isEmpty();
                assertThat(mapper.readValue(health.body(), Health.class).status()).isEqualTo("healthy");
            }
        }
    }

    @Test
    void startReturnsWithNoClientConnecting() throws Exception {
        // The door's polling accept and Jetty's blocking accept share the channel's accept lock: a door
        // still polling when Jetty's acceptor started could leave start() waiting for the next client.
        var config = WorkerConfig.local(dataDir);
        for (int i = 0; i < 8; i++) {
            try (var door = FrontDoor.open(config.host(), 0);
                 var worker = new Worker(config.withPort(door.port()), door)) {
                var started = CompletableFuture.supplyAsync(worker::start);
                assertThat(started.get(20, TimeUnit.SECONDS)).isSameAs(worker); // no request sent before it returns
                assertThat(http.send(get(worker.port(), "/health"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void withCredentialsOnTheDoorsEarlyHealthIsStatusOnly() throws Exception {
        var keys = dev.labdesk.worker.auth.AuthSettings.keys(java.util.List.of(dev.labdesk.worker.auth.ApiKey.plain("ada", "ada-key-0123456789abcdef", false)));
        var config = WorkerConfig.local(dataDir).withAuth(keys);
        try (var door = FrontDoor.open(config.host(), 0)) {
            var early = http.sendAsync(get(door.port(), "/health"), HttpResponse.BodyHandlers.ofString());
            try (var worker = new Worker(config.withPort(door.port()), door)) {
                var fromDoor = early.get(30, TimeUnit.SECONDS);
                assertThat(fromDoor.headers().firstValue("Connection")).as("the door's own answer").hasValue("close");
                assertThat(fromDoor.body()).isEqualTo("{\"status\":\"healthy\"}");
            }
        }
    }

    @Test
    void healthFromTheDoorIsTheWorkersOwn() throws Exception {
        var config = WorkerConfig.local(dataDir);
        try (var door = FrontDoor.open(config.host(), 0)) {
            var early = http.sendAsync(get(door.port(), "/health"), HttpResponse.BodyHandlers.ofString());
            try (var worker = new Worker(config.withPort(door.port()), door)) {
                var fromDoor = early.get(30, TimeUnit.SECONDS); // answered before start(): by the door
                assertThat(fromDoor.statusCode()).isEqualTo(200);
                assertThat(fromDoor.headers().firstValue("Connection")).as("the door's own answer").hasValue("close");
                assertThat(fromDoor.headers().firstValue("Date")).isPresent();
                worker.start();
                var fromJetty = http.send(get(worker.port(), "/health"), HttpResponse.BodyHandlers.ofString());
                var a = mapper.readValue(fromDoor.body(), Health.class);
                var b = mapper.readValue(fromJetty.body(), Health.class);
                assertThat(a.dependencies().keySet()).containsExactly("volumes", "agent", "llm", "redis", "telemetry");
                assertThat(a.status()).isEqualTo(b.status());
                assertThat(a.version()).isEqualTo(b.version());
                assertThat(a.dependencies().get("agent")).isEqualTo(b.dependencies().get("agent"));
                assertThat(a.dependencies().get("redis")).isEqualTo(b.dependencies().get("redis"));
            }
        }
    }

    @Test
    void aWorkerThatNeverStartsLeavesThePortFree() throws Exception {
        var config = WorkerConfig.local(dataDir);
        var door = FrontDoor.open(config.host(), 0);
        int port = door.port();
        new Worker(config.withPort(port), door).close();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(ConnectException.class);
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build();
    }

    /** One HTTP/1.1 response with a Content-Length, read off a raw socket. */
    private static String read(Socket socket) {
        try {
            var in = socket.getInputStream();
            var head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) throw new IOException("closed after " + head);
                head.append((char) b);
            }
            int length = 0;
            for (var line : head.toString().split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
            }
            return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
