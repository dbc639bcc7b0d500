package dev.labdesk.model;

import java.util.Optional;

/** The experiment form's fields, by their wire names: one list for the page, the desktop form and the worker's parser. */
public enum ContextField {
    NAME("name"),
    DESCRIPTION("description"),
    GOALS("goals"),
    HYPOTHESIS("hypothesis"),
    CONTACT_EMAIL("contact_email"),
    /** Comma-separated in a form; a list in JSON. */
    TAGS("tags"),
    /** A JSON object in a form field; the desktop edits it as {@code key = value} lines. */
    PARAMETERS("parameters");

    private final String wire;

    ContextField(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<ContextField> ofWire(String wire) {
        for (var f : values()) if (f.wire.equals(wire)) return Optional.of(f);
        return Optional.empty();
    }

    /** The field a validation error is about: {@code tags[2]} → TAGS, {@code parameters.temp} → PARAMETERS. */
    public static Optional<ContextField> ofError(String errorField) {
        if (errorField == null) return Optional.empty();
        int cut = errorField.length();
        for (int i = 0; i < errorField.length(); i++) {
            char c = errorField.charAt(i);
            if (c == '[' || c == '.') {
                cut = i;
                break;
            }
        }
        return ofWire(errorField.substring(0, cut));
    }
}
