package dev.labdesk.worker.http;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;
import dev.labdesk.worker.events.FinishedSessions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HEAD, 405 with Allow, Vary and upgrades as curl-like clients see them, over real HTTP. */
class HttpMethodsTest {
    @TempDir Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Worker worker;

    @AfterEach
    void stop() {
        if (worker != null) worker.close();
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) request.headers(headers);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void headAnswersTheStatusAndHeadersGetWouldWithoutABody() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
        var id = FinishedSessions.withAgentError(worker);
        for (var path : List.of("/health", "/sessions", "/sessions/" + id, "/sessions/s_00000000000000000000000000/report",
                "/sessions/nope", "/uploads/u_unknown", "/no/such/route", "/sessions/" + id + "/events")) {
            var get = send("GET", path);
            var head = send("HEAD", path);
            assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(get.statusCode());
            assertThat(head.headers().firstValue("Content-Type")).as("HEAD " + path).isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.body()).as("HEAD " + path).isEmpty();
        }
        assertThat(send("HEAD", "/sessions/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void headWithoutCredentialsIs401LikeGet() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir).withAuth(AuthSettings.keys(List.of(
                ApiKey.plain("ada", "ada-key-0123456789abcdef", false))))).start();
        var head = send("HEAD", "/sessions");
        assertThat(head.statusCode()).isEqualTo(401);
        assertThat(head.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(send("HEAD", "/sessions", "Authorization", "Bearer ada-key-0123456789abcdef").statusCode()).isEqualTo(200);
    }

    @Test
    void aMethodThePathDoesNotHaveIs405WithAllowAndAProblemBody() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
        record Case(String method, String path, String allow) {}
        for (var c : List.of(new Case("DELETE", "/health", "GET, HEAD"), new Case("OPTIONS", "/sessions", "GET, HEAD"),
                new Case("PUT", "/sessions/s_1/cancel", "POST"), new Case("GET", "/upload", "POST"),
                new Case("POST", "/sessions/s_1/events", "GET, HEAD"), new Case("PATCH", "/sessions", "GET, HEAD"))) {
            var r = send(c.method(), c.path());
            assertThat(r.statusCode()).as(c.method() + " " + c.path()).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).as(c.method() + " " + c.path()).contains(c.allow());
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"status\":405");
        }
        var tus = send("OPTIONS", "/tus");
        assertThat(tus.statusCode()).as("tus defines OPTIONS itself").isIn(200, 204);
        assertThat(tus.headers().firstValue("Tus-Version")).isPresent();
        assertThat(send("GET", "/no/such/route").statusCode()).as("a path with no route at all stays 404").isEqualTo(404);
    }

    @Test
    void answersVaryByAcceptEncodingAndACompressedOneSaysSo() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
        var js = send("GET", "/assets/app.js", "Accept-Encoding", "gzip");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(js.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Accept-Encoding"));
        var plain = send("GET", "/assets/app.js");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Accept-Encoding"));
        assertThat(send("GET", "/sessions/nope", "Accept-Encoding", "gzip").headers().allValues("Vary"))
                .anySatisfy(v -> assertThat(v).containsIgnoringCase("Accept-Encoding"));
    }

    @Test
    void aWebSocketUpgradeSetsNoCookieAndARefusedOneHasAProblemBody() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
        var ok = upgrade("/chat/ada");
        assertThat(ok).startsWith("HTTP/1.1 101");
        assertThat(ok.toLowerCase()).doesNotContain("set-cookie").doesNotContain("jsessionid");
        var bad = upgrade("/chat/" + "x".repeat(300));
        assertThat(bad).startsWith("HTTP/1.1 422");
        assertThat(bad.toLowerCase()).contains("content-type: application/problem+json").doesNotContain("set-cookie");
        assertThat(bad).contains("\"field\":\"user_id\"");
    }

    /** The raw answer to a WebSocket upgrade: head and, for a refusal, the body. */
    private String upgrade(String path) throws IOException {
        try (var socket = new Socket("127.0.0.1", worker.baseUrl().getPort())) {
            socket.setSoTimeout(5_000);
            var out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + worker.baseUrl().getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var in = socket.getInputStream();
            var got = new ByteArrayOutputStream();
            var buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                    var text = got.toString(StandardCharsets.UTF_8);
                    if (text.startsWith("HTTP/1.1 101") && text.contains("\r\n\r\n")) break;
                    if (text.contains("\r\n\r\n") && text.contains("}")) break;
                }
            } catch (java.net.SocketTimeoutException e) {
                // what arrived is the answer
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }
}
