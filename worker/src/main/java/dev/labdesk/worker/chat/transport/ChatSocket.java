package dev.labdesk.worker.chat.transport;

import dev.labdesk.worker.chat.replies.MessageIds;

import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Callback;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open {@code /chat/{user_id}} connection. Sends are asynchronous (Jetty queues the frames in
 * call order and writes them when the socket can take them), so no thread waits on a slow client;
 * a client that lets {@link #MAX_PENDING} frames pile up is disconnected instead of growing the heap
 * (it reconnects and gets the missed reply replayed).
 */
public final class ChatSocket {
    static final int MAX_PENDING = 4_096;
    private final WsContext ws;
    private final String userId;
    private final AtomicInteger pending = new AtomicInteger();
    private final String id = MessageIds.random();
    /** One for every send of this socket: it only counts the frame as no longer pending. */
    private final Callback written = new Callback() {
        @Override
        public void succeed() {
            pending.decrementAndGet();
        }

        @Override
        public void fail(Throwable x) {
            pending.decrementAndGet();
        }
    };

    ChatSocket(WsContext ws, String userId) {
        this.ws = ws;
        this.userId = userId;
    }

    public String userId() {
        return userId;
    }

    /** Names this connection in frames relayed between instances (to leave out the socket a message came from). */
    public String id() {
        return id;
    }

    /** Closes the connection; the client reconnects and is replayed what it missed. */
    public void close(int code, String reason) {
        if (ws.session.isOpen()) ws.session.close(code, reason, Callback.NOOP);
    }

    /** Queues one text frame; callers that need an order across frames call this in that order. */
    public void send(String json) {
        if (!ws.session.isOpen()) return;
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            ws.session.close(1008, "client too slow to read its frames", Callback.NOOP);
            return;
        }
        ws.session.sendText(json, written);
    }
}
