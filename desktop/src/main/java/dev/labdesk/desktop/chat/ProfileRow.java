package dev.labdesk.desktop.chat;

import dev.labdesk.model.ProfileField;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Optional;

/**
 * One profile field: the value the user sees and may edit, the value the worker holds, and where that
 * came from — a message (its text), or the user's own edit. A row whose value differs from the
 * worker's is {@link #dirtyProperty() dirty} until the worker confirms it; worker updates never
 * overwrite what the user is typing.
 */
public final class ProfileRow {
    private final ProfileField field;
    private final StringProperty value = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper workerValue = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper source = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper byHand = new ReadOnlyBooleanWrapper();
    private final BooleanBinding dirty;
    private final StringBinding caption;
    private boolean sent;

    ProfileRow(ProfileField field) {
        this.field = field;
        this.dirty = Bindings.createBooleanBinding(() -> !normal(value.get()).equals(workerValue.get()), value, workerValue);
        this.caption = Bindings.createStringBinding(() -> {
            if (dirty.get()) return "edited — Enter saves, Esc undoes";
            if (byHand.get()) return "set by you";
            return source.get().isEmpty() ? "" : "from “" + abbreviate(source.get()) + "”";
        }, source, byHand, dirty);
    }

    private static String abbreviate(String s) {
        var one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 48 ? one : one.substring(0, 47) + "…";
    }

    /** A worker update. {@code sourceText} is the message it came from; {@code setByHand} when it came from an edit. */
    void update(String worker, String sourceText, boolean setByHand) {
        boolean keepTyping = dirty.get() && !(sent && setByHand);
        workerValue.set(worker == null ? "" : worker);
        source.set(sourceText == null ? "" : sourceText);
        byHand.set(setByHand);
        // once the worker confirms a sent edit its form wins ("csv; images" comes back "csv, images")
        if (!keepTyping) value.set(workerValue.get());
        if (!dirty.get()) sent = false;
    }

    /** The edit was sent: the worker's next by-hand value for this field is its answer. */
    void sent() {
        sent = true;
    }

    /** The edit to send, if the value differs from the worker's: the value, or empty text to clear the field. */
    Optional<String> edit() {
        return dirty.get() ? Optional.of(normal(value.get())) : Optional.empty();
    }

    /** Takes the worker's value back, dropping an edit not sent. */
    void revert() {
        value.set(workerValue.get());
    }

    private static String normal(String s) {
        return s == null ? "" : s.strip();
    }

    public ProfileField field() { return field; }

    public String label() {
        var words = field.wire().replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    public StringProperty valueProperty() { return value; }
    public ReadOnlyStringProperty workerValueProperty() { return workerValue.getReadOnlyProperty(); }
    /** The text of the message this value came from (empty when set by hand). */
    public ReadOnlyStringProperty sourceProperty() { return source.getReadOnlyProperty(); }
    /** The worker's value was set by the user's own edit, not taken from a message. */
    public ReadOnlyBooleanProperty byHandProperty() { return byHand.getReadOnlyProperty(); }
    /** The user changed the value and the worker has not confirmed it yet. */
    public BooleanBinding dirtyProperty() { return dirty; }
    /** The line under the field: where its value came from, or how to save an edit. */
    public StringBinding captionProperty() { return caption; }
}
