package dev.labdesk.worker.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.session.RestartRecovery;
import dev.labdesk.worker.testing.RawMultipart;
import dev.labdesk.worker.testing.SseReader;
import dev.labdesk.worker.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process killed with {@code kill -9} in the middle of a run and started again on the same data
 * dir: what it had acknowledged is all there, the cut run ended failed and its agent is gone, and a
 * live-log reader reconnecting with {@code Last-Event-ID} gets exactly the rest.
 */
class WorkerRestartTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (var c : open.reversed()) c.close();
        for (var s : held) s.close();
    }

    /** An OpenAI-compatible address that accepts connections and never answers: an agent and a chat reply wait on it. */
    private int silentModel() throws IOException {
        var server = new ServerSocket(0);
        open.add(server);
        Thread.ofVirtual().start(() -> {
            try {
                while (true) held.add(server.accept());
            } catch (IOException closed) {
                // the test is over
            }
        });
        return server.getLocalPort();
    }

    @Test
    void aWorkerKilledMidRunComesBackWithItsSessionsEventsAndConversationsAndTheCutRunFailed() throws Exception {
        var data = dir.resolve("data");
        int port = WorkerProcess.freePort();
        var env = Map.of("OPENAI_API_KEY", "sk-test-not-used", "OPENAI_BASE_URL", "http://127.0.0.1:" + silentModel() + "/v1");
        var first = WorkerProcess.start(data, port, env, dir.resolve("first.log"));
        open.add(first);
        var base = first.baseUrl();

        var upload = new RawMultipart().field("name", "Growth curves").field("description", "OD600 of two strains")
                .file("plates/day1.csv", "well,od600,strain\nA1,0.12,wt\nA2,0.15,wt\nB1,0.29,mut\nB2,0.31,mut\n");
        var accepted = JSON.readTree(send(HttpRequest.newBuilder(base.resolve("/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + RawMultipart.BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload.build())), 202));
        var sessionId = accepted.get("session_id").asText();

        // the chat: the user's message is stored before the (never answered) model is asked
        var chat = new ChatSocket(base, "ada");
        chat.next("history");
        chat.send("{\"type\":\"message\",\"client_message_id\":\"c-1\",\"text\":\"We grow E. coli at 37 C.\"}");

        // the live log up to the analysis waiting on the model: the agent is running and has logged
        var seen = new ArrayList<SseReader.Frame>();
        var stream = http.send(HttpRequest.newBuilder(base.resolve("/sessions/" + sessionId + "/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var sse = new SseReader(stream.body())) {
            while (seen.stream().noneMatch(f -> f.event().equals("log") && f.data().contains("llm mode"))) seen.add(sse.next());
        }
        assertThat(JSON.readTree(send(HttpRequest.newBuilder(base.resolve("/sessions/" + sessionId)), 200)).get("status").asText())
                .isEqualTo("running");
        await().atMost(Duration.ofSeconds(10)).until(() -> history(base, "ada").size() == 1);
        var agents = first.process().descendants().filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(sessionId)).orElse(false)).toList();
        assertThat(agents).as("the agent process of the session").isNotEmpty();
        chat.close();

        first.killHard();
        assertThat(agents).as("kill -9 of the worker leaves its agent running").anyMatch(ProcessHandle::isAlive);

        var second = WorkerProcess.start(data, port, Map.of(), dir.resolve("second.log"));
        open.add(second);
        for (var agent : agents) assertThat(agent.isAlive()).as("agent %d from before the restart", agent.pid()).isFalse();

        var session = JSON.readTree(send(HttpRequest.newBuilder(base.resolve("/sessions/" + sessionId)), 200));
        assertThat(session.get("status").asText()).isEqualTo("failed");
        assertThat(session.get("error").asText()).contains("worker restarted");
        assertThat(session.get("owner").asText()).isEqualTo("local");
        assertThat(session.at("/context/name").asText()).isEqualTo("Growth curves");
        var files = JSON.readTree(send(HttpRequest.newBuilder(base.resolve("/sessions/" + sessionId + "/files")), 200));
        assertThat(files).singleElement().satisfies(f -> assertThat(f.get("path").asText()).isEqualTo("plates/day1.csv"));

        // reconnecting after the third event: exactly what followed, the same frames, then the run's end
        long resumeAfter = 3;
        var rest = new ArrayList<SseReader.Frame>();
        var again = http.send(HttpRequest.newBuilder(base.resolve("/sessions/" + sessionId + "/events"))
                .header("Last-Event-ID", Long.toString(resumeAfter)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (var sse = new SseReader(again.body())) {
            for (SseReader.Frame f; (f = sse.next()) != null; ) rest.add(f);
        }
        var before = seen.stream().filter(f -> Long.parseLong(f.id()) > resumeAfter).toList();
        assertThat(rest.subList(0, before.size())).containsExactlyElementsOf(before);
        var after = rest.subList(before.size(), rest.size());
        assertThat(after).extracting(SseReader.Frame::event).containsSubsequence("agent_error", "status", "end");
        var error = after.stream().filter(f -> f.event().equals("agent_error")).findFirst().orElseThrow();
        assertThat(JSON.readTree(error.data()).get("code").asText()).isEqualTo(RestartRecovery.ERROR_CODE);
        assertThat(JSON.readTree(after.get(after.size() - 2).data()).get("status").asText()).isEqualTo("failed");
        var ids = rest.stream().filter(f -> f.id() != null).map(f -> Long.parseLong(f.id())).toList();
        assertThat(ids.getFirst()).isEqualTo(resumeAfter + 1);
        for (int i = 1; i < ids.size(); i++) assertThat(ids.get(i)).isEqualTo(ids.get(i - 1) + 1);

        var messages = history(base, "ada");
        assertThat(messages).singleElement().satisfies(m -> {
            assertThat(m.get("text").asText()).isEqualTo("We grow E. coli at 37 C.");
            assertThat(m.get("client_message_id").asText()).isEqualTo("c-1");
        });
    }

    private List<JsonNode> history(URI base, String user) throws Exception {
        try (var socket = new ChatSocket(base, user)) {
            var list = new ArrayList<JsonNode>();
            socket.next("history").get("messages").forEach(list::add);
            return list;
        }
    }

    private String send(HttpRequest.Builder request, int expected) throws Exception {
        var r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return r.body();
    }

    /** A real WebSocket on {@code /chat/{user}}, its frames queued as JSON. */
    private final class ChatSocket implements AutoCloseable, WebSocket.Listener {
        private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket ws;

        ChatSocket(URI base, String user) {
            ws = http.newWebSocketBuilder().buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + "/chat/" + user), this).join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }

        void send(String json) {
            ws.sendText(json, true).join();
        }

        JsonNode next(String type) throws InterruptedException {
            while (true) {
                var f = frames.poll(15, TimeUnit.SECONDS);
                if (f == null) throw new AssertionError("no " + type + " frame");
                if (f.path("type").asText().equals(type)) return f;
            }
        }

        @Override
        public void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
