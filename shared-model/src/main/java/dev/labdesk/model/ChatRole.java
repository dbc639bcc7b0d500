package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Who wrote a chat message: the researcher or the onboarding agent. */
public enum ChatRole {
    USER, ASSISTANT;

    /** Every message written to a client names it: made once, not lower-cased per frame. */
    private final String wire = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ChatRole fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
