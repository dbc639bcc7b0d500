package dev.labdesk.worker.chat.transport;

import dev.labdesk.worker.chat.store.ConversationStore;

import dev.labdesk.worker.redis.RedisPubSub;
import dev.labdesk.worker.redis.StreamTail;
import dev.labdesk.worker.redis.RedisBackend;
import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.SourcedProfile;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The chat relay of several worker instances on one Redis. Everything said to a user is appended to
 * the user's {@link RedisChatStream}, and every instance with sockets of that user hands it on to them
 * ({@link RedisChatSockets}); the user's sockets on the writing instance get their frames through the
 * stream too: one path for all. One instance at a time writes a user's replies
 * ({@link RedisChatWriterLease}). {@code stop} goes over pub/sub ({@code labdesk:chat-stop}) to every
 * instance; the one writing stops.
 */
public final class RedisChatRelay implements ChatRelay {
    private final RedisPubSub pubSub;
    private final ConversationStore store;
    private final ChatFrames frames;
    private final StreamTail tail;
    private final RedisChatStream stream;
    private final RedisChatWriterLease writer;
    private final RedisChatSockets sockets;
    private final String stopChannel;
    private volatile Consumer<String> stopHere = userId -> { };

    /** @param ttl how long a user's stream outlives its last entry (the conversation's retention) */
    public RedisChatRelay(RedisBackend redis, RedisPubSub pubSub, ConversationStore store, ChatFrames frames, Duration ttl) {
        this.pubSub = pubSub;
        this.store = store;
        this.frames = frames;
        this.tail = new StreamTail(redis);
        this.stream = new RedisChatStream(redis, ttl, RedisChatWriterLease.TTL);
        this.writer = new RedisChatWriterLease(redis, stream);
        this.sockets = new RedisChatSockets(stream, tail, store, frames);
        this.stopChannel = redis.key("chat-stop");
        pubSub.listen(stopChannel, userId -> stopHere.accept(userId));
    }

    @Override
    public void join(ChatSocket socket, ChatMode mode) {
        sockets.join(socket, mode);
    }

    @Override
    public void leave(ChatSocket socket) {
        sockets.leave(socket);
    }

    @Override
    public void message(String userId, ChatMessage message, ChatSocket except) {
        store.append(userId, message);
        stream.appendFrame(userId, frames.json(new ChatFrame.Message(message)), message.id(), except == null ? "" : except.id(),
                message.fromUser() ? "" : message.id(), "");
    }

    @Override
    public void delta(String userId, String messageId, String replyTo, String chunk) {
        stream.appendDelta(userId, messageId, replyTo, chunk);
    }

    @Override
    public void profile(String userId, SourcedProfile profile) {
        store.saveProfile(userId, profile);
        stream.appendFrame(userId, frames.json(ChatFrame.ProfileUpdate.of(profile)), "", "", "", "");
    }

    @Override
    public void failed(String userId, ChatFrame.Error error) {
        stream.appendFrame(userId, frames.json(error), "", "", "", error.replyTo() == null ? "" : error.replyTo());
    }

    @Override
    public void stop(String userId) {
        pubSub.publish(stopChannel, userId); // this instance hears it too: one path, wherever the reply is written
    }

    @Override
    public void onStop(Consumer<String> stopHere) {
        this.stopHere = stopHere;
    }

    @Override
    public boolean claimWriter(String userId, String replyTo) {
        return writer.claim(userId, replyTo);
    }

    @Override
    public Optional<String> writingElsewhere(String userId) {
        return writer.elsewhere(userId);
    }

    @Override
    public void releaseWriter(String userId) {
        writer.release(userId);
    }

    @Override
    public void forEachSocket(Consumer<ChatSocket> action) {
        sockets.forEachSocket(action);
    }

    @Override
    public void close() {
        sockets.close();
        tail.close();
    }
}
