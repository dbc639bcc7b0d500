package dev.labdesk.desktop.client;

import com.sun.net.httpserver.HttpServer;
import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The worker's bearer key and Modal's proxy-auth headers travel together on all four kinds of
 * request. Modal's proxy cannot run here, so a real HTTP server in its place records what arrives
 * and refuses everything with a plain-text 401, as the proxy does for a bad token.
 */
class WorkerClientCredentialsTest {
    static final String KEY = "lab-key-0123456789abcdef";

    @TempDir Path tmp;
    HttpServer gate;
    final List<String> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger refusals = new AtomicInteger();
    WorkerClient client;

    @BeforeEach
    void start() throws Exception {
        gate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gate.createContext("/", exchange -> {
            var h = exchange.getRequestHeaders();
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " | " + h.getFirst("Authorization")
                    + " | " + h.getFirst("Modal-Key") + " | " + h.getFirst("Modal-Secret"));
            var body = "modal-http: invalid credentials for proxy authorization".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        gate.start();
        var url = URI.create("http://127.0.0.1:" + gate.getAddress().getPort());
        client = new WorkerClient(new WorkerAddress(url, Optional.of(KEY), Optional.of("wk-1"), Optional.of("ws-2")), refusals::incrementAndGet);
    }

    @AfterEach
    void stop() {
        client.close();
        gate.stop(0);
    }

    @Test
    void callsStreamsSocketsAndUploadsAllCarryTheKeyAndTheModalHeadersAndEach401IsReported() throws Exception {
        assertThatThrownBy(client::sessions).isInstanceOfSatisfying(WorkerException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage()).isEqualTo("The worker refused the key: enter the right one in Settings.").doesNotContain(KEY);
        });
        var health = assertThatThrownBy(client::health).isInstanceOf(WorkerException.class);
        health.extracting(e -> ((WorkerException) e).status()).isEqualTo(401);

        var file = Files.writeString(tmp.resolve("a.csv"), "x,y\n1,2\n");
        assertThatThrownBy(() -> new ResumableUploadTask(client, new ExperimentContext("n", "d", null, null, null, List.of(), Map.of()),
                List.of(new LocalFile(file, "a.csv", Files.size(file))), (done, total) -> {}).run())
                .isInstanceOfSatisfying(WorkerException.class, e -> assertThat(e.status()).isEqualTo(401));

        var streamStates = new CopyOnWriteArrayList<EventStream.State>();
        try (var ignored = client.events("s1", 0, new EventStream.Listener() {
            @Override public void event(SessionEvent event) {}
            @Override public void state(EventStream.State state, String detail) { streamStates.add(state); }
        }).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> streamStates.contains(EventStream.State.FAILED));
        }
        var chatStates = new CopyOnWriteArrayList<ChatConnection.State>();
        try (var ignored = client.chat("ada", new ChatConnection.Listener() {
            @Override public void frame(ChatFrame.FromWorker frame) {}
            @Override public void state(ChatConnection.State state, String detail) { chatStates.add(state); }
        }).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> chatStates.contains(ChatConnection.State.REFUSED));
            // refused is final: no reconnect loop hammering the worker with a key it refuses
            Thread.sleep(800);
            assertThat(chatStates).doesNotContain(ChatConnection.State.RECONNECTING);
        }

        var credentials = " | Bearer " + KEY + " | wk-1 | ws-2";
        assertThat(seen).containsExactly(
                "GET /sessions" + credentials,
                "GET /health" + credentials,
                "POST /uploads" + credentials,
                "GET /sessions/s1/events" + credentials,
                "GET /chat/ada" + credentials);
        assertThat(refusals).hasValue(5);
    }
}
