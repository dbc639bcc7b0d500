package dev.labdesk.desktop.chat;

import dev.labdesk.model.ProfileField;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One extracted profile field: its value (editable) and the message it was taken from. */
public final class ProfileRow {
    private final ProfileField field;
    private final StringProperty value = new SimpleStringProperty("");
    private final StringProperty source = new SimpleStringProperty("");
    private final BooleanProperty edited = new SimpleBooleanProperty();
    private boolean updating;

    ProfileRow(ProfileField field) {
        this.field = field;
        value.addListener((o, a, b) -> {
            if (!updating) edited.set(true);
        });
    }

    /** A worker update; a value the user edited is left as they wrote it. */
    void update(String workerValue, String sourceText) {
        source.set(sourceText == null ? "" : sourceText);
        if (edited.get()) return;
        updating = true;
        value.set(workerValue == null ? "" : workerValue);
        updating = false;
    }

    public ProfileField field() { return field; }

    public String label() {
        var words = field.wire().replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    public StringProperty valueProperty() { return value; }
    /** The text of the message this value came from. */
    public StringProperty sourceProperty() { return source; }
    public BooleanProperty editedProperty() { return edited; }
}
