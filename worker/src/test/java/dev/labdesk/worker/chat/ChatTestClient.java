package dev.labdesk.worker.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (OkHttp) on {@code /chat/{user_id}} that records every frame it receives. */
public final class ChatTestClient implements AutoCloseable {
    public static final ObjectMapper JSON = Json.newMapper();
    static final Duration WAIT = Duration.ofSeconds(15);
    private static final JsonNode CLOSED = JSON.createObjectNode().put("type", "__closed");

    final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final List<JsonNode> seen = new ArrayList<>();
    final CompletableFuture<Response> opened = new CompletableFuture<>();
    private final WebSocket ws;

    ChatTestClient(OkHttpClient http, URI base, String userId) {
        this(http, base, userId, null);
    }

    /** Signed in with {@code bearerKey} (none when null). */
    ChatTestClient(OkHttpClient http, URI base, String userId, String bearerKey) {
        var url = base.toString().replaceFirst("^http", "ws") + "/chat/" + userId;
        var request = new Request.Builder().url(url);
        if (bearerKey != null) request.header("Authorization", "Bearer " + bearerKey);
        ws = http.newWebSocket(request.build(), new WebSocketListener() {
            @Override public void onOpen(WebSocket w, Response r) { opened.complete(r); }
            @Override public void onMessage(WebSocket w, String text) {
                try {
                    frames.add(JSON.readTree(text));
                } catch (Exception e) {
                    frames.add(JSON.createObjectNode().put("type", "__unparseable").put("raw", text));
                }
            }
            @Override public void onClosing(WebSocket w, int code, String reason) { frames.add(CLOSED); }
            @Override public void onFailure(WebSocket w, Throwable t, Response r) {
                opened.completeExceptionally(new RuntimeException("failed " + (r == null ? "" : r.code()), t));
                frames.add(CLOSED);
            }
        });
    }

    static OkHttpClient http() {
        var d = new okhttp3.Dispatcher();
        d.setMaxRequests(2_000);
        d.setMaxRequestsPerHost(2_000);
        return new OkHttpClient.Builder().dispatcher(d).readTimeout(Duration.ZERO).build();
    }

    void send(String json) {
        ws.send(json);
    }

    void sendBinary(byte[] bytes) {
        ws.send(ByteString.of(bytes));
    }

    void message(String clientId, String text) {
        send(JSON.createObjectNode().put("type", "message").put("client_message_id", clientId).put("text", text).toString());
    }

    /** The next frame matching {@code want}, skipping (but recording) others; pings are skipped unless asked for. */
    JsonNode next(Predicate<JsonNode> want) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            var f = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (f == null) throw new AssertionError("no matching frame within " + WAIT + "; seen: " + seen);
            if (f == CLOSED) throw new AssertionError("socket closed while waiting; seen: " + seen);
            seen.add(f);
            if (want.test(f)) return f;
        }
    }

    JsonNode next(String type) throws InterruptedException {
        return next(f -> f.path("type").asText().equals(type));
    }

    /** The complete reply to {@code clientId}: all deltas of it concatenated, checked against the final message. */
    Answer answer(String clientId) throws InterruptedException {
        var text = new StringBuilder();
        String messageId = null;
        for (var f : seen) { // deltas of this reply that an earlier next() already took
            if (!f.path("type").asText().equals("delta")) continue;
            if (messageId == null && clientId.equals(f.path("reply_to").asText())) messageId = f.path("message_id").asText();
            if (f.path("message_id").asText().equals(messageId)) text.append(f.path("text").asText());
        }
        while (true) {
            var f = next(x -> !x.path("type").asText().equals("ping"));
            switch (f.path("type").asText()) {
                case "delta" -> {
                    if (messageId == null && clientId.equals(f.path("reply_to").asText())) messageId = f.path("message_id").asText();
                    if (f.path("message_id").asText().equals(messageId)) text.append(f.path("text").asText());
                }
                case "message" -> {
                    var m = f.path("message");
                    if (m.path("role").asText().equals("assistant") && clientId.equals(m.path("reply_to").asText()))
                        return new Answer(m, text.toString());
                }
                case "error" -> {
                    if (clientId.equals(f.path("reply_to").asText())) return new Answer(f, text.toString());
                }
                default -> { }
            }
        }
    }

    /** A finished reply: the stored message (or the error frame) and the text its deltas carried. */
    record Answer(JsonNode frame, String streamed) {
        String text() {
            return frame.path("text").asText();
        }
    }

    void cancel() {
        ws.cancel();
    }

    @Override
    public void close() {
        ws.close(1000, "bye");
    }
}
