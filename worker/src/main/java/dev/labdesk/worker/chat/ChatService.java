package dev.labdesk.worker.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ChatRules;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.model.ProfileField;
import dev.labdesk.model.SourcedProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chat: conversations that are live (a reply being written or waiting), their replies and what
 * is said to the user. Per user, replies are written one at a time in arrival order, on a virtual
 * thread that does not depend on any socket (for an agent that answers at once, the thread that
 * received the message; for a model, one of their own): a reply goes on when its socket drops and
 * is stored when done. Everything said goes through the {@link ChatRelay}, which stores it and
 * delivers it to the user's sockets on this instance or any other; a reconnecting client gets a
 * reply from the history or, while it is still being written, as one catch-up delta followed by
 * the live ones — so it sees the whole reply exactly once. The user's lock keeps frames in order.
 */
public final class ChatService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatService.class);
    /** Modal's proxy drops WebSocket ping frames and closes quiet connections: send our own. */
    public static final Duration PING_INTERVAL = Duration.ofSeconds(20);
    /** Messages of one user waiting behind the reply being written; more get a retryable {@code busy}. */
    static final int MAX_QUEUED = 16;

    private final ConversationStore store;
    private final ChatAgent agent;
    private final ObjectMapper mapper;
    private final ChatFrames frames;
    private final ChatRelay relay;
    private final ObjectReader clientFrames;
    private final MessageTimes times;
    private final ConcurrentHashMap<String, Live> live = new ConcurrentHashMap<>();
    private final ScheduledExecutorService pinger;
    private final String pingJson;

    /** A single worker's chat: its sockets are all here. */
    public ChatService(ConversationStore store, ChatAgent agent, ObjectMapper mapper, Clock clock, Duration pingInterval) {
        this(store, new InMemoryChatRelay(store, new ChatFrames(mapper)), agent, mapper, clock, pingInterval);
    }

    /** @param relay stores what is said and delivers it to the user's sockets (on other instances too, with Redis) */
    public ChatService(ConversationStore store, ChatRelay relay, ChatAgent agent, ObjectMapper mapper, Clock clock, Duration pingInterval) {
        this.store = store;
        this.relay = relay;
        this.agent = agent;
        this.mapper = mapper;
        this.frames = new ChatFrames(mapper);
        this.clientFrames = mapper.readerFor(ChatFrame.FromClient.class);
        this.times = new MessageTimes(clock);
        relay.onStop(this::stopHere);
        this.pingJson = json(new ChatFrame.Ping());
        this.pinger = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("chat-ping").daemon().factory());
        long every = pingInterval.toMillis();
        pinger.scheduleAtFixedRate(this::pingAll, every, every, TimeUnit.MILLISECONDS);
    }

    /** Which agent answers; {@code /health} and every {@code history} frame report it. */
    public ChatMode mode() {
        return agent.mode();
    }

    public ConversationStore store() {
        return store;
    }

    /** A user's live state on this instance: queued messages and the reply being written. */
    private static final class Live {
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<ChatMessage> queue = new ArrayDeque<>();
        Reply current;
        boolean writing;
        boolean retired;
    }

    /** The user's live state, locked; the caller unlocks. */
    private Live lockLive(String userId) {
        while (true) {
            var l = live.computeIfAbsent(userId, k -> new Live());
            l.lock.lock();
            if (!l.retired) return l;
            l.lock.unlock(); // lost a race with retire(): take the fresh one
        }
    }

    /** Forgets the live state of a user nothing is being written for. Under its lock. */
    private void retireIfIdle(String userId, Live l) {
        if (!l.writing && l.queue.isEmpty()) {
            l.retired = true;
            live.remove(userId, l);
        }
    }

    /** Joins a new socket to its user's frames: history, the reply in progress, then what follows. */
    void connect(ChatSocket socket) {
        try {
            relay.join(socket, mode());
        } catch (RuntimeException e) {
            // e.g. Redis down: say so and close, rather than leave a socket that never got its history
            log.warn("chat connect of user {} failed: {}", socket.userId(), e.toString());
            socket.send(json(new ChatFrame.Error("unavailable", "the worker cannot load this conversation now: " + e.getMessage(), true, null)));
            socket.close(1011, "conversation store unavailable");
        }
    }

    void disconnect(ChatSocket socket) {
        relay.leave(socket);
    }

    /** {@link #receive}, with a failure of the store or relay (e.g. Redis down) answered as a retryable {@code error} frame. */
    void receiveSafely(ChatSocket socket, String raw) {
        try {
            receive(socket, raw);
        } catch (ConversationStore.FullException e) { // a new conversation met a full store between admits() and its first append
            socket.send(storeFull(null));
        } catch (RuntimeException e) {
            log.warn("chat frame of user {} failed: {}", socket.userId(), e.toString());
            socket.send(json(new ChatFrame.Error("unavailable", "the worker could not handle this frame now: " + e.getMessage(), true, null)));
        }
    }

    /** One text frame from a client. Whatever is wrong with it is answered with an {@code error} frame. */
    void receive(ChatSocket socket, String raw) {
        if (utf8Length(raw) > ChatRules.FRAME_MAX_BYTES) {
            socket.send(error("frame_too_large", "a frame may be at most " + ChatRules.FRAME_MAX_BYTES + " bytes"));
            return;
        }
        ChatFrame.FromClient frame;
        try {
            frame = clientFrames.readValue(raw);
        } catch (JsonProcessingException e) {
            socket.send(diagnose(raw));
            return;
        }
        switch (frame) {
            case ChatFrame.Send send -> send(socket, send);
            case ChatFrame.Stop stop -> stop(socket.userId());
            case ChatFrame.ProfileEdit edit -> edit(socket, edit);
        }
    }

    /**
     * Why a frame did not parse, in words the client can act on. Only called for bad frames, so the
     * good ones are read in one pass.
     */
    private String diagnose(String raw) {
        JsonNode node;
        try {
            node = mapper.readTree(raw);
        } catch (JsonProcessingException e) {
            return error("bad_frame", "the frame is not valid JSON");
        }
        if (node == null || !node.isObject()) return error("bad_frame", "a frame must be a JSON object with a \"type\"");
        var type = node.get("type");
        if (type == null || !type.isTextual())
            return error("bad_frame", "the frame has no \"type\": send {\"type\":\"message\",\"client_message_id\":…,\"text\":…} or {\"type\":\"stop\"}");
        return switch (type.asText()) {
            case "message", "stop" -> error("bad_frame", "the frame does not match its type: a \"message\" has a string \"text\" and \"client_message_id\"");
            case "profile_edit" -> error("bad_frame", "a \"profile_edit\" has a string \"field\" and a string or null \"value\"");
            default -> error("unknown_type", "unknown frame type '" + clip(type.asText()) + "': a client sends \"message\", \"stop\" or \"profile_edit\"");
        };
    }

    /** A field the user set by hand: stored without a source message and shown on every socket of the user. */
    private void edit(ChatSocket socket, ChatFrame.ProfileEdit edit) {
        var field = edit.field() == null ? java.util.Optional.<ProfileField>empty() : ProfileField.find(edit.field());
        if (field.isEmpty()) {
            socket.send(error("bad_profile_field", "unknown profile field '" + clip(String.valueOf(edit.field())) + "': one of "
                    + java.util.Arrays.stream(ProfileField.values()).map(ProfileField::wire).toList()));
            return;
        }
        var value = edit.value() == null || edit.value().isBlank() ? null : edit.value().strip();
        int max = field.get() == ProfileField.NOTES ? ChatRules.PROFILE_NOTES_MAX : ChatRules.PROFILE_VALUE_MAX;
        if (value != null && value.length() > max) {
            socket.send(error("profile_value_too_long", field.get().wire() + " may be at most " + max + " characters"));
            return;
        }
        var userId = socket.userId();
        var l = lockLive(userId);
        try {
            relay.profile(userId, store.profile(userId).edited(field.get(), value)); // stored, and shown on every socket of the user
        } finally {
            retireIfIdle(userId, l);
            l.lock.unlock();
        }
    }

    private void send(ChatSocket socket, ChatFrame.Send send) {
        var text = send.text();
        if (text == null || text.isBlank()) {
            socket.send(error("empty_text", "a message needs a non-empty \"text\""));
            return;
        }
        if (text.length() > ChatRules.TEXT_MAX) {
            socket.send(error("text_too_long", "a message may be at most " + ChatRules.TEXT_MAX + " characters"));
            return;
        }
        var clientId = send.clientMessageId() == null ? "w-" + MessageIds.random() : send.clientMessageId();
        if (!ChatRules.validClientMessageId(clientId)) {
            socket.send(error("bad_client_message_id", "client_message_id " + ChatRules.clientMessageIdRule()));
            return;
        }
        var userId = socket.userId();
        var l = lockLive(userId);
        boolean writeHere = false;
        try {
            var known = store.userMessage(userId, clientId);
            if (known.isPresent()) {
                // A resend (e.g. after a reconnect): never a second answer. The stored reply is sent
                // again to this socket; a reply still queued or being written reaches it anyway.
                var reply = store.replyTo(userId, clientId);
                if (reply.isPresent()) {
                    socket.send(json(new ChatFrame.Message(reply.get())));
                    return;
                }
                boolean inFlight = (l.current != null && clientId.equals(l.current.replyTo()))
                        || l.queue.stream().anyMatch(m -> clientId.equals(m.clientMessageId()))
                        || relay.writingElsewhere(userId).filter(clientId::equals).isPresent(); // reaches this socket through the relay
                if (inFlight) return;
                if (!l.writing && !relay.claimWriter(userId, clientId)) {
                    socket.send(busyElsewhere(clientId));
                    return;
                }
                writeHere = enqueue(userId, l, known.get()); // its earlier reply failed: this resend is the retry
                return;
            }
            if (l.queue.size() >= MAX_QUEUED) {
                socket.send(json(new ChatFrame.Error("busy", "too many messages waiting for a reply; send it again shortly", true, clientId)));
                return;
            }
            if (!store.admits(userId)) {
                socket.send(storeFull(clientId)); // not stored: sending it again later is a new message
                return;
            }
            if (!l.writing && !relay.claimWriter(userId, clientId)) {
                socket.send(busyElsewhere(clientId)); // not stored: sending it again later is a new message
                return;
            }
            // The client's id is the message's id: profile sources then name messages the client knows.
            var message = ChatMessage.user(clientId, clientId, text, times.now());
            // The user's other sockets (another window) see the message; the sender knows it already
            // and learns its reply from the first delta's reply_to.
            relay.message(userId, message, socket);
            writeHere = enqueue(userId, l, message);
        } finally {
            l.lock.unlock();
            if (writeHere) writeReplies(userId, l);
        }
    }

    /**
     * Under the user's lock. True when the caller must run {@link #writeReplies} itself, after
     * unlocking (an agent that answers at once); otherwise a virtual thread is started for it.
     */
    private boolean enqueue(String userId, Live l, ChatMessage message) {
        l.queue.addLast(message);
        if (l.writing) return false;
        l.writing = true;
        if (agent.answersAtOnce()) return true;
        Thread.ofVirtual().name("chat-reply-" + userId).start(() -> writeReplies(userId, l));
        return false;
    }

    /**
     * Replies of one user are written by one instance at a time, so that they stay in order and
     * each sees the one before; a message arriving at another instance meanwhile is refused like
     * one over {@link #MAX_QUEUED}, with a retryable {@code busy}.
     */
    private String busyElsewhere(String clientId) {
        return json(new ChatFrame.Error("busy", "a reply to an earlier message is being written on another worker instance; "
                + "send this message again when it is complete", true, clientId));
    }

    /** A {@code stop} from a socket on any instance: the relay hands it to the instance writing the reply. */
    private void stop(String userId) {
        relay.stop(userId);
    }

    /** Stops the reply this instance is writing for the user, if it is writing one. */
    private void stopHere(String userId) {
        Reply reply;
        var l = lockLive(userId);
        try {
            reply = l.current;
            retireIfIdle(userId, l);
        } finally {
            l.lock.unlock();
        }
        if (reply != null) reply.stop(); // outside the lock: it may close a model stream
    }

    /** Writes the queued replies of one user, one after the other, on the calling (virtual) thread. */
    private void writeReplies(String userId, Live l) {
        while (true) {
            ChatMessage message;
            Reply reply;
            Turn turn;
            ChatAgentException preparing = null;
            l.lock.lock();
            try {
                message = l.queue.pollFirst();
                if (message == null) {
                    l.writing = false;
                    releaseWriter(userId);
                    retireIfIdle(userId, l);
                    return;
                }
                SourcedProfile base = null;
                java.util.List<ChatMessage> history = null;
                try {
                    relay.claimWriter(userId, message.clientMessageId()); // renews it, naming the reply now written
                    base = store.profile(userId);
                    history = historyUpTo(store.history(userId), message);
                } catch (RuntimeException e) { // the store is unreachable: this reply fails, retryable, and the next is tried
                    preparing = new ChatAgentException("unavailable", "the worker cannot read this conversation now; send the message again", true, e);
                }
                var start = base;
                reply = new Reply(MessageIds.random(), message.clientMessageId(),
                        (r, chunk) -> streamDelta(userId, l, r, chunk),
                        profile -> saveProfile(userId, l, start, profile));
                l.current = reply;
                turn = preparing == null ? new Turn(userId, history, message, base) : null;
            } finally {
                l.lock.unlock();
            }
            var failure = turn == null ? preparing : write(userId, turn, reply);
            finish(userId, l, reply, failure);
        }
    }

    /** The history as it was when {@code message} arrived: later queued messages are not the agent's to see yet. */
    private static java.util.List<ChatMessage> historyUpTo(java.util.List<ChatMessage> history, ChatMessage message) {
        for (int i = history.size() - 1; i >= 0; i--)
            if (history.get(i).id().equals(message.id())) return i == history.size() - 1 ? history : history.subList(0, i + 1); // usually the last: no copy
        var out = new java.util.ArrayList<>(history); // dropped from the bounded history meanwhile
        out.add(message);
        return out;
    }

    /**
     * Runs the agent on a virtual thread of its own and waits for it or for the user's stop, whichever
     * comes first: a stopped reply ends at once even if the model is slow to send its next chunk (the
     * agent notices the stop there and returns; what it streams meanwhile is ignored).
     */
    private ChatAgentException write(String userId, Turn turn, Reply reply) {
        if (agent.answersAtOnce()) {
            try {
                agent.reply(turn, reply);
                return null;
            } catch (ChatAgentException e) {
                return e;
            } catch (RuntimeException e) {
                log.error("chat agent failed for user {}", userId, e);
                return new ChatAgentException("internal", "the worker failed to write this reply; send the message again", true, e);
            }
        }
        var outcome = new java.util.concurrent.CompletableFuture<ChatAgentException>();
        Thread.ofVirtual().name("chat-agent-" + userId).start(() -> {
            try {
                agent.reply(turn, reply);
                outcome.complete(null);
            } catch (ChatAgentException e) {
                outcome.complete(e);
            } catch (RuntimeException e) {
                log.error("chat agent failed for user {}", userId, e);
                outcome.complete(new ChatAgentException("internal", "the worker failed to write this reply; send the message again", true, e));
            }
        });
        reply.onStop(() -> outcome.complete(null));
        return outcome.join();
    }

    private void finish(String userId, Live l, Reply reply, ChatAgentException failure) {
        l.lock.lock();
        try {
            l.current = null;
            var text = reply.text();
            boolean stopped = reply.stopped();
            if (failure != null && !stopped) {
                // Not stored: the client message has no reply, so resending it retries.
                log.info("chat reply for user {} failed: {} ({})", userId, failure.code(), failure.getMessage());
                relay.failed(userId, new ChatFrame.Error(failure.code(), failure.getMessage(), failure.retryable(), reply.replyTo()));
                return;
            }
            var message = ChatMessage.assistant(reply.messageId(), reply.replyTo(), text,
                    stopped ? MessageStatus.STOPPED : MessageStatus.COMPLETE, times.now());
            relay.message(userId, message, null);
        } catch (RuntimeException e) {
            // the store is unreachable (Redis down): the reply is lost, the user message stays unanswered, a resend retries
            log.warn("chat reply {} for user {} could not be stored: {}", reply.messageId(), userId, e.toString());
        } finally {
            l.lock.unlock();
        }
    }

    private void releaseWriter(String userId) {
        try {
            relay.releaseWriter(userId);
        } catch (RuntimeException e) {
            log.warn("chat writer of user {} not released (it expires by itself): {}", userId, e.toString());
        }
    }

    /**
     * A model's text goes out as it comes. An agent that answers at once has its reply whole before
     * anything could be shown, so it is only gathered here and sent as the final {@code message}:
     * one frame per reply instead of a {@code delta} repeating the same text (every frame costs the
     * worker and every client a parse). A socket joining meanwhile gets that message live or in its
     * history, never both (the relay stores and sends it under the user's lock).
     */
    private void streamDelta(String userId, Live l, Reply reply, String chunk) {
        if (agent.answersAtOnce()) {
            reply.append(chunk);
            return;
        }
        l.lock.lock();
        try {
            if (reply.append(chunk)) relay.delta(userId, reply.messageId(), reply.replyTo(), chunk);
        } finally {
            l.lock.unlock();
        }
    }

    /**
     * Saves what a turn changed in the profile it started from ({@code base}). Fields changed meanwhile
     * (an edit by hand while a model was still answering) are kept unless the turn changed them too.
     */
    private void saveProfile(String userId, Live l, SourcedProfile base, SourcedProfile updated) {
        l.lock.lock();
        try {
            var profile = store.profile(userId);
            for (var f : ProfileField.values()) {
                var value = f.get(updated.profile());
                if (value.equals(f.get(base.profile())) && java.util.Objects.equals(updated.source(f), base.source(f))) continue;
                profile = updated.source(f) == null ? profile.edited(f, value.orElse(null)) : profile.with(f, value.orElse(null), updated.source(f));
            }
            relay.profile(userId, profile);
        } finally {
            l.lock.unlock();
        }
    }

    private void pingAll() {
        try {
            relay.forEachSocket(s -> s.send(pingJson));
        } catch (RuntimeException e) {
            log.warn("chat ping round failed", e);
        }
    }

    /** A new conversation refused: the store holds all it may; retryable, as conversations end and make room. */
    private String storeFull(String clientId) {
        return json(new ChatFrame.Error("store_full", "the worker holds as many conversations as it may: a new one "
                + "cannot start now; try again later (existing conversations are not affected)", true, clientId));
    }

    String error(String code, String message) {
        return json(ChatFrame.Error.of(code, message));
    }

    private String json(ChatFrame.FromWorker frame) {
        return frames.json(frame);
    }

    private static long utf8Length(String s) {
        if ((long) s.length() * 3 <= ChatRules.FRAME_MAX_BYTES) return s.length(); // cannot exceed: skip the count
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    @Override
    public void close() {
        pinger.shutdownNow(); // the relay belongs to whoever made it (the worker's stores)
    }
}
