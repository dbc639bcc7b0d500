package dev.labdesk.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation of an {@link ExperimentContext}: the same rules for the browser page, the desktop
 * form (which checks before sending) and the worker (which checks before keeping anything).
 */
public final class ContextRules {
    public static final int NAME_MAX = 200;
    public static final int DESCRIPTION_MAX = 10_000;
    public static final int GOALS_MAX = 5_000;
    public static final int HYPOTHESIS_MAX = 5_000;
    public static final int EMAIL_MAX = 254;
    public static final int TAGS_MAX = 32;
    public static final int TAG_MAX = 40;
    public static final int PARAMETERS_MAX = 100;
    public static final int PARAMETER_KEY_MAX = 64;
    public static final int PARAMETER_VALUE_MAX = 1_000;

    // Pragmatic, not RFC 5322: one @, a dot in the domain, no spaces. Good enough to catch typos.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final Pattern TAG = Pattern.compile("^[\\p{L}\\p{N}][\\p{L}\\p{N} _.+-]*$");
    private static final Pattern PARAMETER_KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.-]*$");

    private ContextRules() {}

    public static List<FieldError> validate(ExperimentContext c) {
        var errors = new ArrayList<FieldError>();
        if (c == null) {
            errors.add(new FieldError("context", "is required"));
            return errors;
        }
        required(errors, ContextField.NAME.wire(), c.name(), NAME_MAX);
        required(errors, ContextField.DESCRIPTION.wire(), c.description(), DESCRIPTION_MAX);
        optional(errors, ContextField.GOALS.wire(), c.goals(), GOALS_MAX);
        optional(errors, ContextField.HYPOTHESIS.wire(), c.hypothesis(), HYPOTHESIS_MAX);
        if (c.contactEmail() != null && !c.contactEmail().isBlank()) {
            var email = c.contactEmail().strip();
            if (email.length() > EMAIL_MAX) errors.add(new FieldError(ContextField.CONTACT_EMAIL.wire(), "must be at most " + EMAIL_MAX + " characters"));
            else if (!EMAIL.matcher(email).matches()) errors.add(new FieldError(ContextField.CONTACT_EMAIL.wire(), "must be an email address like name@example.org"));
        }
        validateTags(errors, c.tags());
        validateParameters(errors, c.parameters());
        return errors;
    }

    private static void required(List<FieldError> errors, String field, String value, int max) {
        if (value == null || value.isBlank()) errors.add(new FieldError(field, "is required"));
        else text(errors, field, value, max);
    }

    private static void optional(List<FieldError> errors, String field, String value, int max) {
        if (value != null && !value.isBlank()) text(errors, field, value, max);
    }

    private static void text(List<FieldError> errors, String field, String value, int max) {
        if (value.codePointCount(0, value.length()) > max) errors.add(new FieldError(field, "must be at most " + max + " characters"));
        else if (hasControl(value)) errors.add(new FieldError(field, "must not contain control characters"));
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(ch -> Character.isISOControl(ch) && ch != '\n' && ch != '\r' && ch != '\t');
    }

    private static void validateTags(List<FieldError> errors, List<String> tags) {
        if (tags.size() > TAGS_MAX) {
            errors.add(new FieldError(ContextField.TAGS.wire(), "at most " + TAGS_MAX + " tags"));
            return;
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < tags.size(); i++) {
            var tag = tags.get(i) == null ? "" : tags.get(i).strip();
            var field = ContextField.TAGS.wire() + "[" + i + "]";
            if (tag.isEmpty()) errors.add(new FieldError(field, "must not be empty"));
            else if (tag.length() > TAG_MAX) errors.add(new FieldError(field, "must be at most " + TAG_MAX + " characters"));
            else if (!TAG.matcher(tag).matches()) errors.add(new FieldError(field, "letters, digits, spaces and _ . + - only, starting with a letter or digit"));
            else if (!seen.add(tag.toLowerCase(Locale.ROOT))) errors.add(new FieldError(field, "duplicate tag '" + tag + "'"));
        }
    }

    private static void validateParameters(List<FieldError> errors, Map<String, Object> parameters) {
        if (parameters.size() > PARAMETERS_MAX) {
            errors.add(new FieldError(ContextField.PARAMETERS.wire(), "at most " + PARAMETERS_MAX + " parameters"));
            return;
        }
        for (var e : parameters.entrySet()) {
            var key = e.getKey();
            if (key.length() > PARAMETER_KEY_MAX || !PARAMETER_KEY.matcher(key).matches()) {
                errors.add(new FieldError(ContextField.PARAMETERS.wire(), "key '" + truncate(key) + "' must be 1-" + PARAMETER_KEY_MAX
                        + " characters of letters, digits, _ . - and start with a letter or _"));
                continue;
            }
            var field = ContextField.PARAMETERS.wire() + "." + key;
            switch (e.getValue()) {
                case null -> errors.add(new FieldError(field, "must have a value"));
                case String s when s.length() > PARAMETER_VALUE_MAX -> errors.add(new FieldError(field, "must be at most " + PARAMETER_VALUE_MAX + " characters"));
                case String s when hasControl(s) -> errors.add(new FieldError(field, "must not contain control characters"));
                case String _, Number _, Boolean _ -> { }
                default -> errors.add(new FieldError(field, "must be a string, number or boolean"));
            }
        }
    }

    private static String truncate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** Splits the form's comma-separated tags field; blank items between commas are dropped. */
    public static List<String> splitTags(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) return List.of();
        var out = new ArrayList<String>();
        for (var part : commaSeparated.split(",")) if (!part.isBlank()) out.add(part.strip());
        return out;
    }
}
