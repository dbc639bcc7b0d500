package dev.labdesk.worker.chat.replies;

import dev.labdesk.worker.chat.agents.ChatAgent;
import dev.labdesk.worker.chat.agents.ChatAgentException;
import dev.labdesk.worker.chat.agents.Reply;
import dev.labdesk.worker.chat.agents.Turn;
import dev.labdesk.worker.chat.profile.ProfileMerge;
import dev.labdesk.worker.chat.store.ConversationStore;
import dev.labdesk.worker.chat.transport.ChatRelay;

import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.model.SourcedProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Per user, the messages waiting for a reply and the reply being written. Replies are written one at
 * a time in arrival order, on a virtual thread that does not depend on any socket (for an agent that
 * answers at once, the thread that received the message; for a model, one of their own): a reply goes
 * on when its socket drops and is stored when done. What a reply says goes out through the relay
 * under the user's lock, which keeps the user's frames in order.
 */
public final class ReplyQueue {
    private static final Logger log = LoggerFactory.getLogger(ReplyQueue.class);
    /** Messages of one user waiting behind the reply being written; more get a retryable {@code busy}. */
    static final int MAX_QUEUED = 16;

    private final ConversationStore store;
    private final ChatRelay relay;
    private final ChatAgent agent;
    private final MessageTimes times;
    private final KeyedLocks<Pending> users = new KeyedLocks<>(Pending::new, Pending::idle);

    ReplyQueue(ConversationStore store, ChatRelay relay, ChatAgent agent, MessageTimes times) {
        this.store = store;
        this.relay = relay;
        this.agent = agent;
        this.times = times;
    }

    /** One user's messages waiting for a reply, and the reply being written. Touched under the user's lock. */
    static final class Pending {
        private final ArrayDeque<ChatMessage> queue = new ArrayDeque<>(4);
        private Reply current;
        private boolean writing;

        private boolean idle() {
            return !writing && queue.isEmpty();
        }

        /** Whether this instance is writing replies for the user now. */
        boolean writing() {
            return writing;
        }

        boolean full() {
            return queue.size() >= MAX_QUEUED;
        }

        /** Whether a reply to client message {@code clientId} is being written or waits here. */
        boolean answering(String clientId) {
            if (current != null && clientId.equals(current.replyTo())) return true;
            for (var m : queue) if (clientId.equals(m.clientMessageId())) return true;
            return false;
        }
    }

    /** The user's pending replies, locked; the caller releases them with {@link #unlock}. */
    KeyedLocks.Held<Pending> lock(String userId) {
        return users.lock(userId);
    }

    void unlock(String userId, KeyedLocks.Held<Pending> held) {
        users.unlock(userId, held);
    }

    /**
     * Under the user's lock: queues {@code message} for a reply. True when the caller must then run
     * {@link #writeAll} itself, after unlocking (an agent that answers at once); otherwise a virtual
     * thread is started for it.
     */
    boolean enqueue(String userId, KeyedLocks.Held<Pending> held, ChatMessage message) {
        var p = held.state();
        p.queue.addLast(message);
        if (p.writing) return false;
        p.writing = true;
        if (agent.answersAtOnce()) return true;
        Thread.ofVirtual().name("chat-reply-" + userId).start(() -> writeAll(userId, held));
        return false;
    }

    /** Stops the reply this instance is writing for the user, if it is writing one. */
    void stopHere(String userId) {
        var held = users.lock(userId);
        Reply reply;
        try {
            reply = held.state().current;
        } finally {
            users.unlock(userId, held);
        }
        if (reply != null) reply.stop(); // outside the lock: it may close a model stream
    }

    /** Writes the queued replies of one user, one after the other, on the calling (virtual) thread. */
    void writeAll(String userId, KeyedLocks.Held<Pending> held) {
        var p = held.state();
        while (true) {
            Reply reply;
            Turn turn = null;
            ChatAgentException preparing = null;
            held.lock();
            try {
                var message = p.queue.pollFirst();
                if (message == null) {
                    p.writing = false;
                    releaseWriter(userId);
                    return; // and forgotten, now idle, as it unlocks
                }
                SourcedProfile base = null;
                try {
                    relay.claimWriter(userId, message.clientMessageId()); // renews it, naming the reply now written
                    // a model's first delta acknowledges the message; an agent that answers at once sends only its stored reply or profile, which commit after it
                    if (!agent.answersAtOnce()) store.flush(userId);
                    base = store.profile(userId);
                    turn = new Turn(userId, historyUpTo(store.history(userId), message), message, base);
                } catch (RuntimeException e) { // the store is unreachable: this reply fails, retryable, and the next is tried
                    preparing = new ChatAgentException("unavailable", "the worker cannot read this conversation now; send the message again", true, e);
                }
                var start = base;
                reply = new Reply(MessageIds.random(), message.clientMessageId(),
                        (r, chunk) -> streamDelta(userId, held, r, chunk),
                        profile -> saveProfile(userId, held, start, profile));
                p.current = reply;
            } finally {
                users.unlock(userId, held);
            }
            var failure = turn == null ? preparing : write(userId, turn, reply);
            finish(userId, held, reply, failure);
        }
    }

    /** The history as it was when {@code message} arrived: later queued messages are not the agent's to see yet. */
    private static List<ChatMessage> historyUpTo(List<ChatMessage> history, ChatMessage message) {
        for (int i = history.size() - 1; i >= 0; i--)
            if (history.get(i).id().equals(message.id())) return i == history.size() - 1 ? history : history.subList(0, i + 1); // usually the last: no copy
        var out = new ArrayList<>(history); // dropped from the bounded history meanwhile
        out.add(message);
        return out;
    }

    /**
     * Runs the agent and returns how it failed, or null. A model runs on a virtual thread of its own,
     * waited for until it returns or the user stops the reply, whichever comes first: a stopped reply
     * ends at once even if the model is slow to send its next chunk (the agent notices the stop there
     * and returns; what it streams meanwhile is ignored).
     */
    private ChatAgentException write(String userId, Turn turn, Reply reply) {
        if (agent.answersAtOnce()) return runAgent(userId, turn, reply);
        var outcome = new CompletableFuture<ChatAgentException>();
        Thread.ofVirtual().name("chat-agent-" + userId).start(() -> outcome.complete(runAgent(userId, turn, reply)));
        reply.onStop(() -> outcome.complete(null));
        return outcome.join();
    }

    private ChatAgentException runAgent(String userId, Turn turn, Reply reply) {
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

    /** Stores and sends the reply (stopped or complete), or sends its failure: a failed reply is not stored, so resending its message retries. */
    private void finish(String userId, KeyedLocks.Held<Pending> held, Reply reply, ChatAgentException failure) {
        held.lock();
        try {
            held.state().current = null;
            boolean stopped = reply.stopped();
            if (failure != null && !stopped) {
                log.info("chat reply for user {} failed: {} ({})", userId, failure.code(), failure.getMessage());
                relay.failed(userId, new ChatFrame.Error(failure.code(), failure.getMessage(), failure.retryable(), reply.replyTo()));
                return;
            }
            var message = ChatMessage.assistant(reply.messageId(), reply.replyTo(), reply.text(),
                    stopped ? MessageStatus.STOPPED : MessageStatus.COMPLETE, times.now());
            relay.message(userId, message, null);
        } catch (RuntimeException e) {
            // the store is unreachable (Redis down, a full disk): the reply is lost, the user message stays unanswered, a resend retries
            log.warn("chat reply {} for user {} could not be stored: {}", reply.messageId(), userId, e.toString());
            tellUnstored(userId, reply.replyTo());
        } finally {
            users.unlock(userId, held);
        }
    }

    /** Tells the user's sockets that the reply to {@code replyTo} was not stored, if the relay can still reach them: they send the message again. */
    private void tellUnstored(String userId, String replyTo) {
        try {
            relay.failed(userId, new ChatFrame.Error("unavailable", "the worker could not store this reply; send the message again", true, replyTo));
        } catch (RuntimeException e) {
            log.warn("chat user {} not told that a reply was not stored: {}", userId, e.toString());
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
    private void streamDelta(String userId, KeyedLocks.Held<Pending> held, Reply reply, String chunk) {
        if (agent.answersAtOnce()) {
            reply.append(chunk);
            return;
        }
        held.lock();
        try {
            if (reply.append(chunk)) relay.delta(userId, reply.messageId(), reply.replyTo(), chunk);
        } finally {
            users.unlock(userId, held);
        }
    }

    /** Saves what a turn changed in the profile it started from ({@code base}): see {@link ProfileMerge}. */
    private void saveProfile(String userId, KeyedLocks.Held<Pending> held, SourcedProfile base, SourcedProfile updated) {
        held.lock();
        try {
            relay.profile(userId, ProfileMerge.merge(store.profile(userId), base, updated));
        } finally {
            users.unlock(userId, held);
        }
    }
}
