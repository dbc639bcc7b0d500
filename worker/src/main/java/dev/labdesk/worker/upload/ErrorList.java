package dev.labdesk.worker.upload;

import dev.labdesk.model.FieldError;
import dev.labdesk.model.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * Validation errors of one request: the first {@code max} are kept to be listed, the rest only
 * counted, so a body of a million bad parts costs a counter, not a million strings.
 */
final class ErrorList {
    private final int max;
    private final List<FieldError> listed = new ArrayList<>();
    private int total;

    ErrorList(int max) {
        this.max = Math.max(1, max);
    }

    void add(FieldError error) {
        total++;
        if (listed.size() < max) listed.add(error);
    }

    void add(String field, String message) {
        add(new FieldError(field, message));
    }

    /** Adds {@code error} unless it is already listed (errors reported twice, while reading and at the end). */
    void addIfAbsent(FieldError error) {
        if (!listed.contains(error)) add(error);
    }

    boolean isEmpty() {
        return total == 0;
    }

    /** No more room to list errors: further ones are only counted. */
    boolean full() {
        return listed.size() >= max;
    }

    boolean any(String field) {
        return listed.stream().anyMatch(e -> e.field().equals(field));
    }

    int total() {
        return total;
    }

    List<FieldError> listed() {
        return listed;
    }

    /** A validation problem with the listed errors and, in {@code errors_total}, how many there were. */
    Problem problem(int status, String title) {
        var base = Problem.validation(listed);
        var detail = total == listed.size() ? base.detail()
                : total + " errors; the first " + listed.size() + " are listed";
        return new Problem(base.type(), title, status, detail, null, List.copyOf(listed), total);
    }
}
