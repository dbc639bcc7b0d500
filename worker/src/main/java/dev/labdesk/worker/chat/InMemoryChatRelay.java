package dev.labdesk.worker.chat;

import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ChatRules;
import dev.labdesk.model.SourcedProfile;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The relay of a single worker: the user's sockets are all here. Storing a frame's content and
 * sending it happen under the user's lock, and so does a join, so a joining socket gets a message
 * either in its history or as a frame, never both, and the reply in progress as one catch-up delta
 * followed by exactly the deltas that came after it.
 */
public final class InMemoryChatRelay implements ChatRelay {
    private final ConversationStore store;
    private final ChatFrames frames;
    private final ConcurrentHashMap<String, Fanout> users = new ConcurrentHashMap<>();
    private volatile Consumer<String> stopHere = userId -> { };

    public InMemoryChatRelay(ConversationStore store, ChatFrames frames) {
        this.store = store;
        this.frames = frames;
    }

    /** One user's sockets and the reply in progress (its text so far). */
    private static final class Fanout {
        final ReentrantLock lock = new ReentrantLock();
        final Set<ChatSocket> sockets = ConcurrentHashMap.newKeySet();
        final StringBuilder partial = new StringBuilder();
        String messageId;
        String replyTo;
        boolean retired;

        void endReply() {
            messageId = null;
            replyTo = null;
            partial.setLength(0);
        }

        /** Serialised once for all the user's sockets, and not at all when only {@code except} is connected (the usual case). */
        void send(ChatFrames frames, ChatFrame.FromWorker frame, ChatSocket except) {
            String json = null;
            for (var s : sockets) {
                if (s == except) continue;
                if (json == null) json = frames.json(frame);
                s.send(json);
            }
        }
    }

    /** The user's fan-out, locked; the caller unlocks it through {@link #unlock}. */
    private Fanout lock(String userId) {
        while (true) {
            var f = users.computeIfAbsent(userId, k -> new Fanout());
            f.lock.lock();
            if (!f.retired) return f;
            f.lock.unlock(); // lost a race with unlock's retirement: take the fresh one
        }
    }

    /** Forgets a user nobody is connected to and nothing is being written for, then unlocks. */
    private void unlock(String userId, Fanout f) {
        if (f.sockets.isEmpty() && f.messageId == null) {
            f.retired = true;
            users.remove(userId, f);
        }
        f.lock.unlock();
    }

    @Override
    public void join(ChatSocket socket, ChatMode mode) {
        var f = lock(socket.userId());
        try {
            f.sockets.add(socket);
            for (var frame : frames.history(store.history(socket.userId()), mode, store.profile(socket.userId()), ChatRules.HISTORY_FRAME_MAX_BYTES))
                socket.send(frame);
            if (!f.partial.isEmpty()) socket.send(frames.json(new ChatFrame.Delta(f.messageId, f.replyTo, f.partial.toString())));
        } finally {
            unlock(socket.userId(), f);
        }
    }

    @Override
    public void leave(ChatSocket socket) {
        var f = lock(socket.userId());
        f.sockets.remove(socket);
        unlock(socket.userId(), f);
    }

    @Override
    public void message(String userId, ChatMessage message, ChatSocket except) {
        var f = lock(userId);
        try {
            store.append(userId, message);
            if (!message.fromUser() && message.id().equals(f.messageId)) f.endReply();
            f.send(frames, new ChatFrame.Message(message), except);
        } finally {
            unlock(userId, f);
        }
    }

    @Override
    public void delta(String userId, String messageId, String replyTo, String chunk) {
        var f = lock(userId);
        try {
            if (!messageId.equals(f.messageId)) {
                f.endReply();
                f.messageId = messageId;
                f.replyTo = replyTo;
            }
            boolean first = f.partial.isEmpty();
            f.partial.append(chunk);
            f.send(frames, new ChatFrame.Delta(messageId, first ? replyTo : null, chunk), null);
        } finally {
            unlock(userId, f);
        }
    }

    @Override
    public void profile(String userId, SourcedProfile profile) {
        var f = lock(userId);
        try {
            store.saveProfile(userId, profile);
            f.send(frames, ChatFrame.ProfileUpdate.of(profile), null);
        } finally {
            unlock(userId, f);
        }
    }

    @Override
    public void failed(String userId, ChatFrame.Error error) {
        var f = lock(userId);
        try {
            if (error.replyTo() != null && error.replyTo().equals(f.replyTo)) f.endReply();
            f.send(frames, error, null);
        } finally {
            unlock(userId, f);
        }
    }

    @Override
    public void stop(String userId) {
        stopHere.accept(userId); // every reply is written here
    }

    @Override
    public void onStop(Consumer<String> stopHere) {
        this.stopHere = stopHere;
    }

    @Override
    public boolean claimWriter(String userId, String replyTo) {
        return true; // no other instance: the service's own queue keeps one reply at a time
    }

    @Override
    public Optional<String> writingElsewhere(String userId) {
        return Optional.empty();
    }

    @Override
    public void releaseWriter(String userId) {
    }

    @Override
    public void forEachSocket(Consumer<ChatSocket> action) {
        for (var f : users.values()) f.sockets.forEach(action);
    }

    @Override
    public void close() {
    }
}
