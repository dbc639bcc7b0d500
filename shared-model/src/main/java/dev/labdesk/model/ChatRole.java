package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Who wrote a chat message: the researcher or the onboarding agent. */
public enum ChatRole {
    USER, ASSISTANT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ChatRole fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
