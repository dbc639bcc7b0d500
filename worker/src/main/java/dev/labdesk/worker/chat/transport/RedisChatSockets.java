package dev.labdesk.worker.chat.transport;

import dev.labdesk.worker.chat.replies.KeyedLocks;
import dev.labdesk.worker.chat.store.ConversationStore;

import dev.labdesk.worker.redis.RedisUnavailableException;
import dev.labdesk.worker.redis.StreamTail;
import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ChatRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This instance's chat sockets, per user, fed from the user's {@link RedisChatStream}: while a user
 * has sockets here, one pump (a virtual thread) tails the stream through {@link StreamTail} and hands
 * each entry to them. A joining socket gets the history, the reply in progress as one delta, then
 * only the deltas after it (each entry carries its delta's index). The history and the stream are not
 * written atomically together, so a socket also remembers the message ids it has, and a message that
 * reached it in the history is not sent again. A socket whose pump fell further behind than the
 * stream keeps is closed (1013) and replayed on reconnect instead of silently skipping.
 */
final class RedisChatSockets {
    private static final Logger log = LoggerFactory.getLogger(RedisChatSockets.class);
    private static final int READ_BATCH = 512;
    private static final Duration TAIL_WAIT = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofMillis(500);

    private final RedisChatStream stream;
    private final StreamTail tail;
    private final ConversationStore store;
    private final ChatFrames frames;
    private final KeyedLocks<Local> users = new KeyedLocks<>(Local::new, Local::idle);
    private volatile boolean closed;

    RedisChatSockets(RedisChatStream stream, StreamTail tail, ConversationStore store, ChatFrames frames) {
        this.stream = stream;
        this.tail = tail;
        this.store = store;
        this.frames = frames;
    }

    /** One user's sockets on this instance, what each has been sent, and whether a pump runs for them. */
    private static final class Local {
        final Map<ChatSocket, View> sockets = new ConcurrentHashMap<>();
        boolean pumping;

        boolean idle() {
            return sockets.isEmpty() && !pumping;
        }
    }

    /** What one socket has: entries up to {@code after}, these message ids, so many deltas of these replies. */
    private static final class View {
        long after;
        final Set<String> seen = new HashSet<>();
        final Map<String, Integer> deltas = new HashMap<>();

        View(long after) {
            this.after = after;
        }
    }

    void join(ChatSocket socket, ChatMode mode) {
        var userId = socket.userId();
        var held = users.lock(userId);
        var u = held.state();
        try {
            // The stream's position first: whatever the history and the partial text below hold is older
            long last = stream.position(userId);
            var history = store.history(userId);
            var profile = store.profile(userId);
            var partial = stream.partial(userId);
            var view = new View(last);
            history.forEach(m -> view.seen.add(m.id()));
            for (var frame : frames.history(history, mode, profile, ChatRules.HISTORY_FRAME_MAX_BYTES)) socket.send(frame);
            if (partial.isPresent() && !view.seen.contains(partial.get().messageId())) {
                var p = partial.get();
                socket.send(frames.json(new ChatFrame.Delta(p.messageId(), p.replyTo(), p.text())));
                view.deltas.put(p.messageId(), p.deltas());
            }
            u.sockets.put(socket, view);
            if (!u.pumping) {
                u.pumping = true;
                Thread.ofVirtual().name("chat-relay-" + userId).start(() -> pump(userId, held, last));
            }
        } finally {
            users.unlock(userId, held);
        }
    }

    void leave(ChatSocket socket) {
        var held = users.lock(socket.userId());
        held.state().sockets.remove(socket);
        users.unlock(socket.userId(), held); // the pump notices and ends
    }

    void forEachSocket(Consumer<ChatSocket> action) {
        users.forEach(u -> u.sockets.keySet().forEach(action));
    }

    /** Ends the pumps (each at its next turn). */
    void close() {
        closed = true;
    }

    /** Hands the user's stream to this instance's sockets of that user, until none is left. */
    private void pump(String userId, KeyedLocks.Held<Local> held, long pos) {
        var u = held.state();
        var key = stream.liveKey(userId);
        while (true) {
            RedisChatStream.Read read;
            try {
                read = stream.read(userId, pos, READ_BATCH);
            } catch (RuntimeException e) { // Redis down (or the worker closing under us: the check below ends the pump)
                if (!(e instanceof RedisUnavailableException) && !closed) log.warn("chat relay of user {}: {}", userId, e.toString());
                read = null;
            }
            held.lock();
            try {
                if (u.sockets.isEmpty() || closed) {
                    u.pumping = false;
                    return;
                }
                if (read != null) pos = deliver(u, read, pos);
            } finally {
                users.unlock(userId, held);
            }
            try {
                if (read == null) Thread.sleep(RETRY); // Redis is down: try again shortly (sockets stay open)
                else if (read.entries().isEmpty()) tail.await(key, pos, TAIL_WAIT);
            } catch (RuntimeException e) {
                if (closed) return;
                log.warn("chat relay of user {}: waiting failed: {}", userId, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Under the user's lock: hands {@code read} to the sockets; returns the new position. */
    private long deliver(Local u, RedisChatStream.Read read, long pos) {
        if (read.last() < pos) {
            // the stream expired and began again at 0-1: everyone follows it from there
            u.sockets.values().forEach(v -> v.after = 0);
            return 0;
        }
        if (read.first() > pos + 1) {
            // entries were trimmed before this instance handed them on: reconnecting replays the conversation
            for (var socket : u.sockets.keySet()) socket.close(1013, "fell behind the conversation; reconnect");
            u.sockets.clear();
            return read.last();
        }
        for (var e : read.entries()) {
            for (var s : u.sockets.entrySet()) if (e.seq() > s.getValue().after) deliver(s.getKey(), s.getValue(), e);
            pos = e.seq();
        }
        return pos;
    }

    private void deliver(ChatSocket socket, View view, RedisChatStream.Entry entry) {
        view.after = entry.seq();
        switch (entry) {
            case RedisChatStream.Delta d -> {
                if (view.seen.contains(d.messageId())) return;
                int sent = view.deltas.getOrDefault(d.messageId(), 0);
                if (d.index() < sent) return; // in the partial text this socket was sent when it joined
                socket.send(frames.json(new ChatFrame.Delta(d.messageId(), sent == 0 ? d.replyTo() : null, d.text())));
                view.deltas.put(d.messageId(), d.index() + 1);
            }
            case RedisChatStream.Frame f -> {
                if (socket.id().equals(f.except())) return;
                if (!f.messageId().isEmpty()) {
                    if (!view.seen.add(f.messageId())) return; // it came in the history
                    view.deltas.remove(f.messageId());
                }
                socket.send(f.json());
            }
        }
    }
}
