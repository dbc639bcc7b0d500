package dev.labdesk.worker.agent.analysis.experiment;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What the data say of the hypothesis; {@code NO_HYPOTHESIS} when only goals were given (nothing to test). */
public enum Verdict {
    SUPPORTED, NOT_SUPPORTED, CANNOT_BE_TESTED, NO_HYPOTHESIS;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String label() {
        return switch (this) {
            case SUPPORTED -> "supported";
            case NOT_SUPPORTED -> "not supported";
            case CANNOT_BE_TESTED -> "cannot be tested";
            case NO_HYPOTHESIS -> "no hypothesis given";
        };
    }
}
