package dev.labdesk.desktop.embedded;

import dev.labdesk.desktop.TestData;
import dev.labdesk.desktop.client.ChatConnection;
import dev.labdesk.desktop.client.EventStream;
import dev.labdesk.desktop.client.ResumableUploadTask;
import dev.labdesk.desktop.client.WorkerAddress;
import dev.labdesk.desktop.client.WorkerClient;
import dev.labdesk.desktop.upload.DatasetFiles;
import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The embedded worker answers only the key the app made at launch: a real HTTP client without it
 * (or with another) gets 401 on calls and on the chat socket, the app's client gets through on all
 * four kinds of request, and the key is nowhere on disk.
 */
class EmbeddedWorkerKeyTest {
    @TempDir Path appData;
    EmbeddedWorker embedded;
    WorkerClient client;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (embedded != null) embedded.close();
        http.close();
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(embedded.baseUrl() + path)).GET();
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestWithoutTheLaunchKeyOrWithAnotherKeyIsRefused() throws Exception {
        embedded = EmbeddedWorker.start(appData);

        var none = get("/sessions", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(get("/sessions", "not-the-launch-key-0123456789").statusCode()).isEqualTo(401);
        var chat = URI.create(embedded.baseUrl().toString().replace("http://", "ws://") + "/chat/ada");
        assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(chat, new WebSocket.Listener() {}).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));

        assertThat(get("/sessions", embedded.key()).statusCode()).isEqualTo(200);
    }

    @Test
    void eachLaunchMakesAFreshKey() throws Exception {
        embedded = EmbeddedWorker.start(appData);
        var first = embedded.key();
        embedded.close();
        embedded = EmbeddedWorker.start(appData);

        assertThat(embedded.key()).isNotEqualTo(first).hasSizeGreaterThanOrEqualTo(43);
        assertThat(get("/sessions", first).statusCode()).isEqualTo(401);
        assertThat(get("/sessions", embedded.key()).statusCode()).isEqualTo(200);
    }

    @Test
    void theAppsClientUploadsFollowsTheLogAndChatsWithTheLaunchKeyWhichIsNeverWrittenToDisk() throws Exception {
        embedded = EmbeddedWorker.start(appData);
        var refusals = new CopyOnWriteArrayList<String>();
        client = new WorkerClient(WorkerAddress.of(embedded.baseUrl(), embedded.key()), () -> refusals.add("401"));

        // tus: plan, PATCH chunks, complete
        var files = DatasetFiles.expand(List.of(TestData.nestedDataset(Files.createTempDirectory("labdesk-key-data"))));
        var accepted = new ResumableUploadTask(client, new ExperimentContext("Keyed", "with the launch key", null, null, null, List.of(), Map.of()),
                files, (done, total) -> {}).run();
        assertThat(accepted.files()).isEqualTo(4);

        // SSE
        var events = new CopyOnWriteArrayList<SessionEvent>();
        var states = new CopyOnWriteArrayList<EventStream.State>();
        try (var stream = client.events(accepted.sessionId(), 0, new EventStream.Listener() {
            @Override public void event(SessionEvent event) { events.add(event); }
            @Override public void state(EventStream.State state, String detail) { states.add(state); }
        }).start()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> states.contains(EventStream.State.ENDED));
        }
        assertThat(states).doesNotContain(EventStream.State.FAILED);
        assertThat(events).isNotEmpty();

        // WebSocket
        var frames = new CopyOnWriteArrayList<ChatFrame.FromWorker>();
        var chatStates = new CopyOnWriteArrayList<ChatConnection.State>();
        try (var chat = client.chat("ada", new ChatConnection.Listener() {
            @Override public void frame(ChatFrame.FromWorker frame) { frames.add(frame); }
            @Override public void state(ChatConnection.State state, String detail) { chatStates.add(state); }
        }).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> chatStates.contains(ChatConnection.State.CONNECTED));
            chat.send("hello");
            await().atMost(Duration.ofSeconds(15)).until(() -> frames.stream()
                    .anyMatch(f -> f instanceof ChatFrame.Message m && !m.message().fromUser()));
        }

        // plain calls
        assertThat(client.sessions()).extracting(s -> s.sessionId()).containsExactly(accepted.sessionId());
        assertThat(refusals).isEmpty();

        try (Stream<Path> all = Files.walk(appData)) {
            var key = embedded.key().getBytes(StandardCharsets.UTF_8);
            var holding = all.filter(Files::isRegularFile).filter(p -> contains(p, key)).toList();
            assertThat(holding).as("files holding the launch key").isEmpty();
        }
    }

    private static boolean contains(Path file, byte[] needle) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            return false; // a file the worker removed while we walked
        }
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) if (bytes[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
