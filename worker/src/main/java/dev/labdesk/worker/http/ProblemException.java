package dev.labdesk.worker.http;

import dev.labdesk.model.FieldError;
import dev.labdesk.model.Problem;

import java.util.List;

/** Thrown by a handler to answer with an {@code application/problem+json} document. */
public final class ProblemException extends RuntimeException {
    private final transient Problem problem;

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
}
