package dev.labdesk.worker.agent.analysis.experiment;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a hypothesis claims of its first-named group against the second: higher, lower, different either way, or no difference. */
public enum Direction {
    GREATER, LESS, DIFFERENT, SAME;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The claim as words between the two groups' names ("is higher than"). */
    String phrase() {
        return switch (this) {
            case GREATER -> "higher than";
            case LESS -> "lower than";
            case DIFFERENT -> "different from";
            case SAME -> "no different from";
        };
    }
}
