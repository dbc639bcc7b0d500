package dev.labdesk.worker.chat.replies;

import dev.labdesk.worker.chat.transport.ClientCommand;
import dev.labdesk.worker.chat.transport.FrameReader;
import dev.labdesk.worker.chat.transport.ChatFrames;
import dev.labdesk.worker.chat.transport.ChatPinger;
import dev.labdesk.worker.chat.transport.ChatSocket;
import dev.labdesk.worker.chat.transport.ChatRelay;
import dev.labdesk.worker.chat.transport.InMemoryChatRelay;

import dev.labdesk.worker.chat.agents.ChatAgent;
import dev.labdesk.worker.chat.store.ConversationStore;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * The chat: what each client frame does and what the client is told. A message is stored and queued
 * for its reply ({@link ReplyQueue}); everything said goes through the {@link ChatRelay}, which stores
 * it and delivers it to the user's sockets on this instance or any other. A reconnecting client gets a
 * reply from the history or, while it is still being written, as one catch-up delta followed by the
 * live ones, so it sees the whole reply exactly once.
 */
public final class ChatService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatService.class);
    /** Modal's proxy drops WebSocket ping frames and closes quiet connections: send our own. */
    public static final Duration PING_INTERVAL = Duration.ofSeconds(20);

    private final ConversationStore store;
    private final ChatAgent agent;
    private final ChatFrames frames;
    private final ChatRelay relay;
    private final FrameReader reader;
    private final MessageTimes times;
    private final ReplyQueue replies;
    private final ChatPinger pinger;

    /** A single worker's chat: its sockets are all here. */
    public ChatService(ConversationStore store, ChatAgent agent, ObjectMapper mapper, Clock clock, Duration pingInterval) {
        this(store, new InMemoryChatRelay(store, new ChatFrames(mapper)), agent, mapper, clock, pingInterval);
    }

    /** @param relay stores what is said and delivers it to the user's sockets (on other instances too, with Redis) */
    public ChatService(ConversationStore store, ChatRelay relay, ChatAgent agent, ObjectMapper mapper, Clock clock, Duration pingInterval) {
        this.store = store;
        this.relay = relay;
        this.agent = agent;
        this.frames = new ChatFrames(mapper);
        this.reader = new FrameReader(mapper);
        this.times = new MessageTimes(clock);
        this.replies = new ReplyQueue(store, relay, agent, times);
        relay.onStop(replies::stopHere);
        this.pinger = new ChatPinger(relay, frames.json(new ChatFrame.Ping()), pingInterval);
    }

    /** Which agent answers; {@code /health} and every {@code history} frame report it. */
    public ChatMode mode() {
        return agent.mode();
    }

    public ConversationStore store() {
        return store;
    }

    /** Joins a new socket to its user's frames: history, the reply in progress, then what follows. */
    public void connect(ChatSocket socket) {
        try {
            relay.join(socket, mode());
        } catch (RuntimeException e) {
            // e.g. Redis down: say so and close, rather than leave a socket that never got its history
            log.warn("chat connect of user {} failed: {}", socket.userId(), e.toString());
            send(socket, ChatErrors.unavailable("the worker cannot load this conversation now: " + e.getMessage()));
            socket.close(1011, "conversation store unavailable");
        }
    }

    public void disconnect(ChatSocket socket) {
        relay.leave(socket);
    }

    /** {@link #receive}, with a failure of the store or relay (e.g. Redis down) answered as a retryable {@code error} frame. */
    public void receiveSafely(ChatSocket socket, String raw) {
        try {
            receive(socket, raw);
        } catch (ConversationStore.FullException e) { // a new conversation met a full store between admits() and its first append
            send(socket, ChatErrors.storeFull(null));
        } catch (RuntimeException e) {
            log.warn("chat frame of user {} failed: {}", socket.userId(), e.toString());
            send(socket, ChatErrors.unavailable("the worker could not handle this frame now: " + e.getMessage()));
        }
    }

    /** One text frame from a client. Whatever is wrong with it is answered with an {@code error} frame. */
    void receive(ChatSocket socket, String raw) {
        switch (reader.read(raw)) {
            case ClientCommand.SendMessage m -> message(socket, m.clientMessageId() == null ? "w-" + MessageIds.random() : m.clientMessageId(), m.text());
            case ClientCommand.StopReply s -> relay.stop(socket.userId()); // the relay hands it to the instance writing the reply
            case ClientCommand.EditProfile e -> edit(socket.userId(), e);
            case ClientCommand.Refused r -> send(socket, r.error());
        }
    }

    /** A field the user set by hand: stored without a source message and shown on every socket of the user. */
    private void edit(String userId, ClientCommand.EditProfile edit) {
        var held = replies.lock(userId); // a reply's own profile change is saved under it too
        try {
            relay.profile(userId, store.profile(userId).edited(edit.field(), edit.value()));
        } finally {
            replies.unlock(userId, held);
        }
    }

    private void message(ChatSocket socket, String clientId, String text) {
        var userId = socket.userId();
        var held = replies.lock(userId);
        var pending = held.state();
        boolean writeHere = false;
        try {
            var known = store.userMessage(userId, clientId);
            if (known.isPresent()) {
                // A resend (e.g. after a reconnect): never a second answer. The stored reply is sent
                // again to this socket; a reply still queued or being written reaches it anyway.
                var reply = store.replyTo(userId, clientId);
                if (reply.isPresent()) {
                    socket.send(frames.json(new ChatFrame.Message(reply.get())));
                    return;
                }
                boolean inFlight = pending.answering(clientId)
                        || relay.writingElsewhere(userId).filter(clientId::equals).isPresent(); // reaches this socket through the relay
                if (inFlight) return;
                if (!pending.writing() && !relay.claimWriter(userId, clientId)) {
                    send(socket, ChatErrors.busyElsewhere(clientId));
                    return;
                }
                writeHere = replies.enqueue(userId, held, known.get()); // its earlier reply failed: this resend is the retry
                return;
            }
            if (pending.full()) {
                send(socket, ChatErrors.busy(clientId));
                return;
            }
            if (!store.admits(userId)) {
                send(socket, ChatErrors.storeFull(clientId)); // not stored: sending it again later is a new message
                return;
            }
            if (!pending.writing() && !relay.claimWriter(userId, clientId)) {
                send(socket, ChatErrors.busyElsewhere(clientId)); // not stored: sending it again later is a new message
                return;
            }
            // The client's id is the message's id: profile sources then name messages the client knows.
            var message = ChatMessage.user(clientId, clientId, text, times.now());
            // The user's other sockets (another window) see the message; the sender knows it already
            // and learns its reply from the first delta's reply_to.
            relay.message(userId, message, socket);
            writeHere = replies.enqueue(userId, held, message);
        } finally {
            replies.unlock(userId, held);
            if (writeHere) replies.writeAll(userId, held);
        }
    }

    private void send(ChatSocket socket, ChatFrame.Error error) {
        socket.send(frames.json(error));
    }

    /** An {@code error} frame's text, for a frame refused before it reaches {@link #receive} (a binary one). */
    public String error(String code, String message) {
        return frames.json(ChatFrame.Error.of(code, message));
    }

    @Override
    public void close() {
        pinger.close(); // the relay belongs to whoever made it (the worker's stores)
    }
}
