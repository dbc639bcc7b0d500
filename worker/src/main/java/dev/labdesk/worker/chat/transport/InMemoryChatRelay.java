package dev.labdesk.worker.chat.transport;

import dev.labdesk.worker.chat.replies.KeyedLocks;
import dev.labdesk.worker.chat.store.ConversationStore;

import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ChatRules;
import dev.labdesk.model.SourcedProfile;

import java.util.Optional;
import java.util.Arrays;
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
    private final KeyedLocks<Fanout> users = new KeyedLocks<>(Fanout::new, Fanout::idle);
    private volatile Consumer<String> stopHere = userId -> { };

    public InMemoryChatRelay(ConversationStore store, ChatFrames frames) {
        this.store = store;
        this.frames = frames;
    }

    /** One user's sockets and the reply in progress (its text so far). Changed under the user's lock. */
    private static final class Fanout {
        private static final ChatSocket[] NONE = {};
        /** Copied on join and leave, which are rare next to sends: a send walks a plain array. Volatile for the pinger, which reads it unlocked. */
        volatile ChatSocket[] sockets = NONE;
        final StringBuilder partial = new StringBuilder();
        String messageId;
        String replyTo;

        /** Nobody is connected and nothing is being written: forgotten. */
        boolean idle() {
            return sockets.length == 0 && messageId == null;
        }

        void add(ChatSocket socket) {
            var now = Arrays.copyOf(sockets, sockets.length + 1);
            now[now.length - 1] = socket;
            sockets = now;
        }

        void remove(ChatSocket socket) {
            for (int i = 0; i < sockets.length; i++) {
                if (sockets[i] != socket) continue;
                var now = new ChatSocket[sockets.length - 1];
                System.arraycopy(sockets, 0, now, 0, i);
                System.arraycopy(sockets, i + 1, now, i, now.length - i);
                sockets = now;
                return;
            }
        }

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

    @Override
    public void join(ChatSocket socket, ChatMode mode) {
        var held = users.lock(socket.userId());
        var f = held.state();
        try {
            f.add(socket);
            for (var frame : frames.history(store.history(socket.userId()), mode, store.profile(socket.userId()), ChatRules.HISTORY_FRAME_MAX_BYTES))
                socket.send(frame);
            if (!f.partial.isEmpty()) socket.send(frames.json(new ChatFrame.Delta(f.messageId, f.replyTo, f.partial.toString())));
        } finally {
            users.unlock(socket.userId(), held);
        }
    }

    @Override
    public void leave(ChatSocket socket) {
        var held = users.lock(socket.userId());
        var f = held.state();
        f.remove(socket);
        users.unlock(socket.userId(), held);
    }

    @Override
    public void message(String userId, ChatMessage message, ChatSocket except) {
        var held = users.lock(userId);
        var f = held.state();
        try {
            store.append(userId, message);
            if (!message.fromUser() && message.id().equals(f.messageId)) f.endReply();
            f.send(frames, new ChatFrame.Message(message), except);
        } finally {
            users.unlock(userId, held);
        }
    }

    @Override
    public void delta(String userId, String messageId, String replyTo, String chunk) {
        var held = users.lock(userId);
        var f = held.state();
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
            users.unlock(userId, held);
        }
    }

    @Override
    public void profile(String userId, SourcedProfile profile) {
        var held = users.lock(userId);
        var f = held.state();
        try {
            store.saveProfile(userId, profile);
            f.send(frames, ChatFrame.ProfileUpdate.of(profile), null);
        } finally {
            users.unlock(userId, held);
        }
    }

    @Override
    public void failed(String userId, ChatFrame.Error error) {
        var held = users.lock(userId);
        var f = held.state();
        try {
            if (error.replyTo() != null && error.replyTo().equals(f.replyTo)) f.endReply();
            f.send(frames, error, null);
        } finally {
            users.unlock(userId, held);
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
        users.forEach(f -> {
            for (var s : f.sockets) action.accept(s);
        });
    }

    @Override
    public void close() {
    }
}
