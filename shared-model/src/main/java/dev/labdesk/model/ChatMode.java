package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Which onboarding agent answers: a model through the OpenAI API, or the offline guided interview. */
public enum ChatMode {
    LLM, OFFLINE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ChatMode fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
