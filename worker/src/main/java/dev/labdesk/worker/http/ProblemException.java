package dev.labdesk.worker.http;

import dev.labdesk.model.FieldError;
import dev.labdesk.model.Problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Thrown by a handler to answer with an {@code application/problem+json} document. */
public final class ProblemException extends RuntimeException {
    private final transient Problem problem;
    private final transient Map<String, String> headers = new LinkedHashMap<>();

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail());
        this.problem = problem;
    }

    public static ProblemException of(int status, String title, String detail) {
        return new ProblemException(Problem.of(status, title, detail));
    }

    public static ProblemException validation(List<FieldError> errors) {
        return new ProblemException(Problem.validation(errors));
    }

    public static ProblemException field(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    public static ProblemException notFound(String what) {
        return of(404, "Not found", what);
    }

    public Problem problem() {
        return problem;
    }

    /** A header the answer carries too, e.g. {@code Retry-After} on a 429. */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }
}
