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
    /** The one type the contract names: what the request sent breaks a rule, listed field by field in {@code errors}. */
    public static final String VALIDATION = "https://labdesk.dev/problems/validation";
    /** RFC 9457's type for a problem its status and title say all of. */
    public static final String BLANK = "about:blank";

    public Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
        this(type, title, status, detail, instance, errors, null);
    }

    /** A problem about no field: its status and title say what went wrong. */
    public static Problem of(int status, String title, String detail) {
        return new Problem(BLANK, title, status, detail, null, null);
    }

    /** 422: the request's fields break the contract's rules. */
    public static Problem validation(List<FieldError> errors) {
        return validation(422, "Invalid request", errors, errors.size() + " fields are invalid");
    }

    /** A validation problem under another status; its detail is the one error, or {@code summaryOfMany} for several. */
    public static Problem validation(int status, String title, List<FieldError> errors, String summaryOfMany) {
        return new Problem(VALIDATION, title, status,
                errors.size() == 1 ? errors.getFirst().field() + ": " + errors.getFirst().message() : summaryOfMany,
                null, List.copyOf(errors));
    }

    /** A validation problem about one thing (a header, the body) with a detail of its own. */
    public static Problem validation(int status, String title, String detail, FieldError error) {
        return new Problem(VALIDATION, title, status, detail, null, List.of(error));
    }

    /** 400: the body cannot be read at all (not JSON, say). */
    public static Problem malformed(String detail, FieldError error) {
        return validation(400, "Malformed request", detail, error);
    }

    /** 415: the body's {@code Content-Type} is not one the route takes. */
    public static Problem unsupportedMediaType(String detail, FieldError error) {
        return validation(415, "Unsupported media type", detail, error);
    }

    /** 412: a header the route requires does not hold (tus's {@code Tus-Resumable}). */
    public static Problem preconditionFailed(String detail, FieldError error) {
        return validation(412, "Precondition failed", detail, error);
    }

    /** The same problem about the request at {@code path}. */
    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errors, errorsTotal);
    }
}
