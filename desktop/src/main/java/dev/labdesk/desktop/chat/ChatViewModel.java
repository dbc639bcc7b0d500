package dev.labdesk.desktop.chat;

import dev.labdesk.desktop.client.ChatConnection;
import dev.labdesk.desktop.client.WorkerApi;
import dev.labdesk.desktop.fx.UiQueue;
import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ChatRole;
import dev.labdesk.model.ChatRules;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.model.Profile;
import dev.labdesk.model.ProfileField;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The chat panel: messages (assistant replies grow as their deltas arrive, or appear whole with their
 * final message when the worker sends no deltas, as for the offline interview), the draft, Stop, the
 * connection state and the extracted profile with the message each field came from. Frames arrive
 * on OkHttp threads and reach the UI thread batched through a {@link UiQueue}.
 */
public final class ChatViewModel implements AutoCloseable {
    private sealed interface Incoming {
        record Frame(ChatFrame.FromWorker frame) implements Incoming {}
        record State(ChatConnection.State state, String detail) implements Incoming {}
    }

    static final String SAY_HELLO = "Say hello: the onboarding agent asks a few questions and fills in your profile.";
    static final String REFUSED = "The worker refused the key, so the chat cannot connect: enter the right key in Settings.";

    private final Executor ui;
    private final UiQueue<Incoming> inbox;
    private final ObservableList<ChatItem> messages = FXCollections.observableArrayList();
    private final ObservableList<ProfileRow> profile = FXCollections.observableArrayList();
    private final Map<ProfileField, ProfileRow> rows = new LinkedHashMap<>();
    private final StringProperty draft = new SimpleStringProperty("");
    private final ReadOnlyBooleanWrapper replying = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper connection = new ReadOnlyStringWrapper("not connected");
    private final ReadOnlyObjectWrapper<ChatMode> mode = new ReadOnlyObjectWrapper<>();
    private final StringBinding modeCaption = Bindings.createStringBinding(
            () -> mode.get() == null ? "" : mode.get() == ChatMode.LLM ? "model" : "offline interview", mode);
    /** The pages of a long history received so far on this connection (see {@link ChatFrame.History#more()}). */
    private final List<ChatMessage> historyPages = new ArrayList<>();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper emptyCaption = new ReadOnlyStringWrapper(SAY_HELLO);
    private WorkerApi.Chat socket;

    public ChatViewModel(Executor ui) {
        this.ui = ui;
        this.inbox = new UiQueue<>(ui, batch -> batch.forEach(this::apply));
    }

    /** UI thread: (re)connects as {@code userId}; the old conversation and profile are replaced by the worker's history. */
    public void connect(WorkerApi client, String userId) {
        close();
        messages.clear();
        rows.clear(); // another user's profile must not stay on screen under this one's conversation
        profile.clear();
        if (!ChatRules.validUserId(userId)) {
            connection.set("user id " + ChatRules.userIdRule() + " — fix it in Settings");
            return;
        }
        socket = client.chat(userId, new ChatConnection.Listener() {
            @Override public void frame(ChatFrame.FromWorker frame) { inbox.offer(new Incoming.Frame(frame)); }
            @Override public void state(ChatConnection.State state, String detail) { inbox.offer(new Incoming.State(state, detail)); }
        }).start();
    }

    /** UI thread. Sends the draft; returns false when there is nothing to send. */
    public boolean send() {
        var text = draft.get() == null ? "" : draft.get().strip();
        if (text.isEmpty() || socket == null) return false;
        if (text.length() > ChatRules.TEXT_MAX) {
            error.set("A message may be at most " + ChatRules.TEXT_MAX + " characters.");
            return false;
        }
        error.set("");
        var cid = socket.send(text);
        // the worker stores a user message under its client id, and profile sources name that id
        var item = new ChatItem(cid, cid, ChatRole.USER, text);
        item.noteProperty().set(connected.get() ? "" : "will be sent when the connection is back");
        messages.add(item);
        draft.set("");
        replying.set(true);
        return true;
    }

    public void stop() {
        if (socket != null) socket.stop();
    }

    private void apply(Incoming in) {
        switch (in) {
            case Incoming.State s -> {
                if (s.state() != ChatConnection.State.CONNECTED) historyPages.clear(); // a new connection sends its history again
                connected.set(s.state() == ChatConnection.State.CONNECTED);
                emptyCaption.set(s.state() == ChatConnection.State.REFUSED ? REFUSED : SAY_HELLO);
                connection.set(switch (s.state()) {
                    case CONNECTING -> "connecting…";
                    case CONNECTED -> "connected";
                    case RECONNECTING -> s.detail();
                    case REFUSED -> "key refused";
                    case CLOSED -> "not connected";
                });
                if (connected.get()) for (var m : messages) if (m.role() == ChatRole.USER) m.noteProperty().set("");
            }
            case Incoming.Frame f -> frame(f.frame());
        }
    }

    private void frame(ChatFrame.FromWorker frame) {
        switch (frame) {
            case ChatFrame.History h -> {
                mode.set(h.mode());
                historyPages.addAll(h.messages());
                if (h.more()) return; // a long conversation comes in pages: shown once the last one is here
                var all = List.copyOf(historyPages);
                historyPages.clear();
                var stored = new HashSet<String>();
                var items = new ArrayList<ChatItem>();
                for (var m : all) {
                    items.add(item(m));
                    if (m.clientMessageId() != null) stored.add(m.clientMessageId());
                }
                // messages sent while disconnected and not stored yet stay visible; the connection resends them
                var unsent = messages.stream().filter(m -> m.role() == ChatRole.USER && m.clientMessageId() != null
                        && !stored.contains(m.clientMessageId())).toList();
                items.addAll(unsent);
                messages.setAll(items);
                replying.set(!unsent.isEmpty());
                profile(h.profile() == null ? null : h.profile().profile(), h.profile() == null ? Map.of() : h.profile().sources());
            }
            case ChatFrame.Delta d -> {
                var item = find(d.messageId());
                if (item == null) {
                    item = new ChatItem(d.messageId(), null, ChatRole.ASSISTANT, "");
                    messages.add(item);
                }
                item.streamingProperty().set(true);
                item.textProperty().set(item.textProperty().get() + d.text());
                replying.set(true);
            }
            case ChatFrame.Message m -> message(m.message());
            case ChatFrame.ProfileUpdate p -> profile(p.profile(), p.sources());
            case ChatFrame.Error e -> {
                error.set(e.message() + (e.retryable() ? " (you can send it again)" : ""));
                if (e.replyTo() != null) replying.set(false);
            }
            case ChatFrame.Ping p -> { }
        }
    }

    private void message(ChatMessage m) {
        if (m.fromUser()) {
            // the sender's own messages are not echoed to it; this is another window of the same user
            if (find(m.id()) == null) messages.add(item(m));
            return;
        }
        var item = find(m.id());
        if (item == null) {
            item = item(m);
            messages.add(item);
        }
        item.textProperty().set(m.text());
        item.streamingProperty().set(false);
        item.noteProperty().set(m.status() == MessageStatus.STOPPED ? "stopped" : "");
        replying.set(false);
    }

    private ChatItem item(ChatMessage m) {
        var item = new ChatItem(m.id(), m.clientMessageId(), m.role(), m.text());
        if (m.status() == MessageStatus.STOPPED) item.noteProperty().set("stopped");
        return item;
    }

    private ChatItem find(String id) {
        if (id == null) return null;
        for (var m : messages) if (id.equals(m.id())) return m;
        return null;
    }

    private void profile(Profile p, Map<String, String> sources) {
        if (p == null) return;
        for (var field : ProfileField.values()) {
            var value = field.get(p);
            if (value.isEmpty() && !rows.containsKey(field)) continue;
            var row = rows.computeIfAbsent(field, f -> {
                var r = new ProfileRow(f);
                profile.add(r);
                return r;
            });
            var sourceId = sources.get(field.wire());
            var source = find(sourceId);
            row.update(value.orElse(""), source == null ? "" : source.textProperty().get(), value.isPresent() && sourceId == null);
        }
    }

    /**
     * UI thread. Sends the row's edit to the worker (now, or after a reconnect); the row stays dirty
     * until the worker's {@code profile} frame confirms it. False when there is nothing to send.
     */
    public boolean commit(ProfileRow row) {
        var edit = row.edit();
        if (edit.isEmpty() || socket == null) return false;
        int max = row.field().maxLength();
        if (edit.get().length() > max) {
            error.set(row.label() + " may be at most " + max + " characters.");
            return false;
        }
        error.set("");
        socket.editProfile(row.field(), edit.get());
        row.sent();
        return true;
    }

    public ObservableList<ChatItem> messages() { return messages; }
    public ObservableList<ProfileRow> profile() { return profile; }
    public StringProperty draftProperty() { return draft; }
    public ReadOnlyBooleanProperty replyingProperty() { return replying.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty connectedProperty() { return connected.getReadOnlyProperty(); }
    public ReadOnlyStringProperty connectionProperty() { return connection.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<ChatMode> modeProperty() { return mode.getReadOnlyProperty(); }
    /** The badge beside the title: which agent answers ("model" or "offline interview"), empty before the history. */
    public StringBinding modeCaptionProperty() { return modeCaption; }
    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }
    /** What an empty conversation says: an invitation, or why the chat cannot connect. */
    public ReadOnlyStringProperty emptyCaptionProperty() { return emptyCaption.getReadOnlyProperty(); }

    public BooleanBinding canSend() {
        return Bindings.createBooleanBinding(() -> socket != null && draft.get() != null && !draft.get().isBlank(), draft);
    }

    List<ChatItem> snapshot() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        if (socket != null) socket.close();
        socket = null;
        connected.set(false);
    }
}
