package dev.labdesk.worker.chat.transport;

import dev.labdesk.worker.chat.store.ConversationStore;

import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.SourcedProfile;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who receives a user's chat frames, and the reply in progress that a socket joining late catches
 * up on. {@link ChatService} decides what is said; the relay stores it (through the
 * {@link ConversationStore}) and delivers it to every socket of the user, wherever it is connected.
 * In memory for one worker ({@link InMemoryChatRelay}); with Redis ({@code RedisChatRelay}) the
 * frames go through a per-user Redis Stream that every instance with a socket of that user tails,
 * so a socket on instance B sees a reply that instance A is writing, from its first word.
 *
 * <p>Per user, replies are written by one instance at a time ({@link #claimWriter}); the instance
 * that writes is the one that hears the user's {@code stop}, whichever instance it was sent to.
 */
public interface ChatRelay extends AutoCloseable {

    /**
     * Sends {@code socket} its user's {@code history}, then the reply in progress so far as one
     * {@code delta} (with {@code reply_to}), then every later frame of that user in order: the
     * whole reply exactly once, no matter when the socket joins.
     */
    void join(ChatSocket socket, ChatMode mode);

    void leave(ChatSocket socket);

    /**
     * Stores {@code message} and sends it to the user's sockets except {@code except} (null: to all).
     * An assistant message ends the reply in progress that has its id.
     */
    void message(String userId, ChatMessage message, ChatSocket except);

    /** The next piece of reply {@code messageId} (answering {@code replyTo}); the first one starts the reply in progress. */
    void delta(String userId, String messageId, String replyTo, String chunk);

    /** Stores the profile and sends it. */
    void profile(String userId, SourcedProfile profile);

    /** Sends a reply's failure to the user's sockets; the reply in progress ends without being kept. */
    void failed(String userId, ChatFrame.Error error);

    /** The user asked to stop: the instance writing the user's reply runs its {@link #onStop} handler. */
    void stop(String userId);

    /** What this instance does with a stop for one of its users (called with the user id). */
    void onStop(Consumer<String> stopHere);

    /**
     * Takes (or renews) the right to write the user's replies, now answering {@code replyTo};
     * false while another instance holds it.
     */
    boolean claimWriter(String userId, String replyTo);

    /** The client message id whose reply another instance is writing for this user, if one is. */
    Optional<String> writingElsewhere(String userId);

    /** This instance has written all it had for the user. */
    void releaseWriter(String userId);

    /** Every socket connected to this instance (for the app-level ping). */
    void forEachSocket(Consumer<ChatSocket> action);

    @Override
    void close();
}
