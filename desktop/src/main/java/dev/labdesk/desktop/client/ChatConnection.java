package dev.labdesk.desktop.client;

import java.util.EnumMap;
import dev.labdesk.model.Profile;
import java.util.concurrent.RejectedExecutionException;

import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ProfileField;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The chat socket ({@code WS /chat/{user_id}}) that keeps itself up. Messages get a
 * {@code client_message_id} once; until their reply is complete they stay pending and are sent
 * again after every reconnect — the worker answers each id only once, so resending is safe and a
 * reply that ran on while the socket was down is replayed rather than lost. Modal's proxy drops
 * WebSocket ping frames, so liveness is the worker's app-level {@code ping} frame: when no frame at
 * all arrives for {@link #SILENCE_LIMIT}, the socket is presumed dead and replaced.
 */
public final class ChatConnection implements WorkerApi.Chat {
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(50); // the worker pings every 20 s

    /** {@code REFUSED}: the worker answered 401 to the upgrade; retrying with the same key cannot help. */
    public enum State { CONNECTING, CONNECTED, RECONNECTING, REFUSED, CLOSED }

    /** Hears every frame and state change, on an OkHttp thread. */
    public interface Listener {
        void frame(ChatFrame.FromWorker frame);

        void state(State state, String detail);
    }

    private final WorkerClient client;
    private final String userId;
    private final Listener listener;
    private final Map<String, String> pending = new LinkedHashMap<>(); // client_message_id → text, oldest first
    private final Map<ProfileField, String> edits = new EnumMap<>(ProfileField.class); // not confirmed yet
    private WebSocket socket;
    private boolean open;
    private boolean closed;
    private int attempt;
    private volatile Instant lastFrame = Instant.now();
    private ScheduledFuture<?> watchdog;

    ChatConnection(WorkerClient client, String userId, Listener listener) {
        this.client = client;
        this.userId = userId;
        this.listener = listener;
    }

    public synchronized ChatConnection start() {
        listener.state(State.CONNECTING, "connecting");
        connect();
        watchdog = client.timers().scheduleAtFixedRate(this::checkSilence, 5, 5, TimeUnit.SECONDS);
        return this;
    }

    /** Sends a message (now, or after the reconnect); returns its client message id. Any thread. */
    public synchronized String send(String text) {
        var id = UUID.randomUUID().toString();
        pending.put(id, text);
        if (open) write(new ChatFrame.Send(id, text));
        return id;
    }

    /**
     * Sets one profile field by hand (empty text clears it), now or after the reconnect; the latest
     * edit of a field wins. Any thread.
     */
    public synchronized void editProfile(ProfileField field, String value) {
        edits.put(field, value);
        if (open) write(new ChatFrame.ProfileEdit(field.wire(), value));
    }

    /** Ends the reply being streamed. */
    public synchronized boolean stop() {
        return open && write(new ChatFrame.Stop());
    }

    /** Messages sent but not answered yet. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    private synchronized void connect() {
        if (closed) return;
        var request = new Request.Builder().url(client.address().websocket("/chat/" + userId).toString()).build();
        socket = client.http().newWebSocket(request, new Handler());
    }

    private boolean write(ChatFrame.FromClient frame) {
        try {
            return socket.send(client.mapper().writerFor(ChatFrame.FromClient.class).writeValueAsString(frame));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The worker stored this edit: the field has no source and reads as the edit does once stored (lists are normalised). */
    private static boolean confirms(ChatFrame.ProfileUpdate update, ProfileField field, String edit) {
        if (update.sources() != null && update.sources().containsKey(field.wire())) return false;
        var stored = field.set(Profile.EMPTY, edit.isBlank() ? null : edit.strip());
        return field.get(stored).equals(field.get(update.profile()));
    }

    private final class Handler extends WebSocketListener {
        @Override
        public void onOpen(WebSocket ws, Response response) {
            synchronized (ChatConnection.this) {
                if (ws != socket || closed) return;
                open = true;
                attempt = 0;
                lastFrame = Instant.now();
                listener.state(State.CONNECTED, pending.isEmpty() ? "connected" : "connected, resending " + pending.size() + " message(s)");
                for (var e : pending.entrySet()) write(new ChatFrame.Send(e.getKey(), e.getValue()));
                for (var e : edits.entrySet()) write(new ChatFrame.ProfileEdit(e.getKey().wire(), e.getValue()));
            }
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            ChatFrame.FromWorker frame;
            try {
                frame = client.mapper().readValue(text, ChatFrame.FromWorker.class);
            } catch (IOException e) {
                return; // a frame kind this version does not know
            }
            synchronized (ChatConnection.this) {
                if (ws != socket || closed) return;
                lastFrame = Instant.now();
                switch (frame) {
                    case ChatFrame.Message m when !m.message().fromUser() && m.message().replyTo() != null -> pending.remove(m.message().replyTo());
                    case ChatFrame.Error e when e.replyTo() != null && !e.retryable() -> pending.remove(e.replyTo());
                    case ChatFrame.ProfileUpdate p -> edits.entrySet().removeIf(e -> confirms(p, e.getKey(), e.getValue()));
                    case ChatFrame.Error e when e.code().startsWith("profile_") || e.code().equals("bad_profile_field") -> edits.clear();
                    default -> { }
                }
                if (frame instanceof ChatFrame.Ping) return;
                listener.frame(frame);
            }
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            ws.close(1000, null);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            lost(ws, "closed by the worker" + (reason == null || reason.isBlank() ? "" : ": " + reason));
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response response) {
            if (response != null && response.code() == 401) {
                refused(ws);
                return;
            }
            lost(ws, response != null ? "HTTP " + response.code() : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
    }

    private synchronized void lost(WebSocket ws, String why) {
        if (ws != socket || closed) return;
        open = false;
        attempt++;
        long millis = Backoff.RECONNECT.delay(attempt).toMillis();
        listener.state(State.RECONNECTING, "reconnecting… (" + why + ")");
        try {
            client.timers().schedule(this::connect, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the client is closing
        }
    }

    private synchronized void refused(WebSocket ws) {
        if (ws != socket || closed) return;
        open = false;
        listener.state(State.REFUSED, "the worker refused the key");
    }

    private void checkSilence() {
        WebSocket stale;
        synchronized (this) {
            if (!open || closed || Duration.between(lastFrame, Instant.now()).compareTo(SILENCE_LIMIT) < 0) return;
            stale = socket;
        }
        stale.cancel(); // onFailure follows and reconnects
    }


    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        open = false;
        if (watchdog != null) watchdog.cancel(false);
        if (socket != null) socket.close(1000, "bye");
        listener.state(State.CLOSED, "closed");
    }
}
