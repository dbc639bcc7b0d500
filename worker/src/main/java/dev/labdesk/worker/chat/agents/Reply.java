package dev.labdesk.worker.chat.agents;

import dev.labdesk.model.SourcedProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One assistant reply while it is being written: the agent streams text and profile updates into it,
 * the user may stop it. Text is accumulated here so a client that reconnects mid-reply gets it whole.
 */
public final class Reply {
    private final String messageId;
    private final String replyTo;
    /**
     * The text while it is one chunk (an agent that answers at once, e.g. the interview's shared
     * strings): kept as that very string, so the stored reply is no copy. A second chunk starts
     * {@link #more}.
     */
    private String first;
    private StringBuilder more;
    private final BiConsumer<Reply, String> onDelta;
    private final Consumer<SourcedProfile> onProfile;
    private final List<Runnable> stopActions = new ArrayList<>();
    private boolean stopped;

    /**
     * @param onDelta   called with each delta; it adds the delta with {@link #append} and passes it on
     * @param onProfile called with each new profile
     */
    public Reply(String messageId, String replyTo, BiConsumer<Reply, String> onDelta, Consumer<SourcedProfile> onProfile) {
        this.messageId = messageId;
        this.replyTo = replyTo;
        this.onDelta = onDelta;
        this.onProfile = onProfile;
    }

    public String messageId() {
        return messageId;
    }

    /** The client message id this reply answers. */
    public String replyTo() {
        return replyTo;
    }

    /**
     * Streams a piece of text. It is handed to the owner's {@code onDelta}, which adds it with
     * {@link #append} under the conversation's lock (so a reconnecting client's catch-up and the live
     * deltas never overlap); ignored once the reply is stopped (the user keeps what was shown).
     */
    public void delta(String chunk) {
        if (chunk == null || chunk.isEmpty() || stopped()) return;
        onDelta.accept(this, chunk);
    }

    /** Adds {@code chunk} unless stopped; true when it was added. */
    public synchronized boolean append(String chunk) {
        if (stopped) return false;
        if (chunk.isEmpty()) return true;
        if (first == null) first = chunk;
        else (more == null ? more = new StringBuilder(first) : more).append(chunk);
        return true;
    }

    public void profile(SourcedProfile profile) {
        synchronized (this) {
            if (stopped) return;
        }
        onProfile.accept(profile);
    }

    public synchronized String text() {
        return more != null ? more.toString() : first == null ? "" : first;
    }

    public synchronized boolean isEmpty() {
        return first == null;
    }

    public synchronized boolean stopped() {
        return stopped;
    }

    /** Runs {@code action} when the reply is stopped, at once if it already is (e.g. to close a model stream). */
    public void onStop(Runnable action) {
        synchronized (this) {
            if (!stopped) {
                stopActions.add(action);
                return;
            }
        }
        action.run();
    }

    public void stop() {
        List<Runnable> actions;
        synchronized (this) {
            if (stopped) return;
            stopped = true;
            actions = List.copyOf(stopActions);
            stopActions.clear();
        }
        actions.forEach(Runnable::run);
    }
}
