package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** queued → running → succeeded | failed | cancelled. */
public enum SessionStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** Whether a session in this status may move to {@code next}. */
    public boolean canMoveTo(SessionStatus next) {
        return switch (this) {
            case QUEUED -> next == RUNNING || next.terminal();
            case RUNNING -> next.terminal();
            default -> false;
        };
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SessionStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
