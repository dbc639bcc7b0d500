package dev.labdesk.model;

import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}). {@code errors} lists
 * validation failures field by field; it is absent for problems that are not about fields.
 * {@code errorsTotal} (an extension member, {@code errors_total}) counts every failure found when
 * {@code errors} lists only the first ones; absent otherwise.
 */
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, Integer errorsTotal) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
        this(type, title, status, detail, instance, errors, null);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, null);
    }

    public static Problem validation(List<FieldError> errors) {
        return new Problem("https://labdesk.dev/problems/validation", "Invalid request", 422,
                errors.size() == 1 ? errors.getFirst().field() + ": " + errors.getFirst().message()
                        : errors.size() + " fields are invalid", null, List.copyOf(errors));
    }

    /** The same problem about the request at {@code path}. */
    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errors, errorsTotal);
    }
}
