package dev.labdesk.desktop.client;

import java.util.concurrent.RejectedExecutionException;

import dev.labdesk.model.SessionEvent;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A session's events over SSE ({@code GET /sessions/{id}/events}) that survive dropped connections.
 * okhttp-sse neither reconnects nor resends {@code Last-Event-ID}; this class does both, drops
 * events it already delivered (so a replay never shows a line twice) and says honestly where it
 * stands: connecting, live, reconnecting, ended. One listener hears everything, on an OkHttp thread.
 */
public final class EventStream implements WorkerApi.Events {
    // the worker sends a heartbeat comment every 15 s; three missed ones mean the connection is dead
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(45);

    public enum State { CONNECTING, LIVE, RECONNECTING, ENDED, FAILED, CLOSED }

    public interface Listener {
        void event(SessionEvent event);

        /** {@code detail} is a short human sentence: why it reconnects, from which event it resumed. */
        void state(State state, String detail);

        /** The worker no longer holds events {@code after+1 … firstAvailable-1}: they are lost to this view. */
        default void gap(long after, long firstAvailable) {}
    }

    private final WorkerClient client;
    private final String sessionId;
    private final Listener listener;
    private final OkHttpClient sse;
    private long lastSeq;
    private int attempt;
    private boolean closed;
    private EventSource current;

    EventStream(WorkerClient client, String sessionId, long afterSeq, Listener listener) {
        this.client = client;
        this.sessionId = sessionId;
        this.lastSeq = afterSeq;
        this.listener = listener;
        this.sse = client.http().newBuilder().readTimeout(READ_TIMEOUT).build();
    }

    public synchronized EventStream start() {
        listener.state(State.CONNECTING, "connecting to " + client.address().baseUrl());
        connect();
        return this;
    }

    /** The sequence number of the last event delivered. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    private synchronized void connect() {
        if (closed) return;
        var request = client.get("/sessions/" + sessionId + "/events").header("Accept", "text/event-stream");
        if (lastSeq > 0) request.header("Last-Event-ID", Long.toString(lastSeq));
        current = EventSources.createFactory(sse).newEventSource(request.build(), new Handler());
    }

    private final class Handler extends EventSourceListener {
        private boolean ended;

        @Override
        public void onOpen(EventSource source, Response response) {
            synchronized (EventStream.this) {
                if (closed || source != current) return;
                var resumed = attempt > 0;
                attempt = 0;
                listener.state(State.LIVE, resumed ? "caught up: resumed after event " + lastSeq : "live");
            }
        }

        @Override
        public void onEvent(EventSource source, String id, String type, String data) {
            synchronized (EventStream.this) {
                if (closed || source != current) return;
                switch (type == null ? "message" : type) {
                    case "end" -> {
                        ended = true;
                        listener.state(State.ENDED, "the session ended");
                    }
                    case "resync" -> {
                        try {
                            var gap = client.mapper().readTree(data);
                            long first = gap.path("first_available").asLong(lastSeq + 1);
                            listener.gap(lastSeq, first);
                            lastSeq = Math.max(lastSeq, first - 1);
                        } catch (IOException e) {
                            listener.gap(lastSeq, lastSeq + 1);
                        }
                    }
                    default -> {
                        SessionEvent event;
                        try {
                            event = client.mapper().readValue(data, SessionEvent.class);
                        } catch (IOException e) {
                            return; // a kind this version does not know: newer worker, skip it
                        }
                        if (event.seq() <= lastSeq) return; // already shown before the reconnect
                        lastSeq = event.seq();
                        listener.event(event);
                    }
                }
            }
        }

        @Override
        public void onClosed(EventSource source) {
            synchronized (EventStream.this) {
                if (closed || source != current) return;
                if (ended) return;
                retry("the worker closed the stream");
            }
        }

        @Override
        public void onFailure(EventSource source, Throwable t, Response response) {
            synchronized (EventStream.this) {
                if (closed || source != current || ended) return;
                if (response != null && response.code() == 204) {
                    // the worker's answer to a resume past the final event: the stream is over
                    ended = true;
                    listener.state(State.ENDED, "the session ended");
                    return;
                }
                if (response != null && (response.code() == 404 || response.code() == 401 || response.code() == 403)) {
                    listener.state(State.FAILED, "the worker refused the event stream (HTTP " + response.code() + ")");
                    return;
                }
                retry(t != null && t.getMessage() != null ? t.getMessage()
                        : response != null ? "HTTP " + response.code() : "connection lost");
            }
        }
    }

    private void retry(String why) {
        attempt++;
        long millis = Backoff.RECONNECT.delay(attempt).toMillis();
        listener.state(State.RECONNECTING, "reconnecting… (" + why + "; attempt " + attempt + ", after event " + lastSeq + ")");
        try {
            client.timers().schedule(this::connect, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the client is closing
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (current != null) current.cancel();
        listener.state(State.CLOSED, "closed");
    }
}
