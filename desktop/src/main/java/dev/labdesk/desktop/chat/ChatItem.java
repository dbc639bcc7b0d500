package dev.labdesk.desktop.chat;

import dev.labdesk.model.ChatRole;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One message as the chat panel shows it; its text grows while a reply streams. {@code id} is the
 * worker's message id, which for a user message is the client message id it was sent with.
 */
public final class ChatItem {
    private final String id;
    private final String clientMessageId;
    private final ChatRole role;
    private final StringProperty text = new SimpleStringProperty("");
    private final StringProperty note = new SimpleStringProperty("");
    private final BooleanProperty streaming = new SimpleBooleanProperty();
    private final StringBinding caption = Bindings.when(streaming).then("writing…").otherwise(note);

    ChatItem(String id, String clientMessageId, ChatRole role, String text) {
        this.id = id;
        this.clientMessageId = clientMessageId;
        this.role = role;
        this.text.set(text == null ? "" : text);
    }

    public String id() { return id; }
    public String clientMessageId() { return clientMessageId; }
    public ChatRole role() { return role; }
    public StringProperty textProperty() { return text; }
    /** "stopped", or "will be sent when the connection is back": small print under the message. */
    public StringProperty noteProperty() { return note; }
    public BooleanProperty streamingProperty() { return streaming; }
    /** What the bubble shows under the text: "writing…" while the reply streams, else the note. */
    public StringBinding captionProperty() { return caption; }
}
