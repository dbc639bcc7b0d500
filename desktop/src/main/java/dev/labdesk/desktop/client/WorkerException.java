package dev.labdesk.desktop.client;

import dev.labdesk.model.FieldError;
import dev.labdesk.model.Problem;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A worker call that did not work, with a message a person can act on. When the worker answered
 * with a problem document it is kept, so a form can put each field's error next to the field.
 */
public final class WorkerException extends IOException {
    private final transient Problem problem;
    private final boolean unreachable;
    private int status;

    private WorkerException(String message, Problem problem, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.unreachable = unreachable;
    }

    public static WorkerException unreachable(String base, IOException cause) {
        var why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new WorkerException("The worker at " + base + " is unreachable (" + why + "). Check the worker URL in Settings.", null, true, cause);
    }

    public static WorkerException problem(Problem problem) {
        var text = problem.detail() != null ? problem.detail() : problem.title();
        return new WorkerException("The worker refused: " + text, problem, false, null);
    }

    /** A 401: the same sentence wherever it shows (the session list, the upload form, the report), not the worker's header advice. */
    public static WorkerException keyRefused() {
        var e = new WorkerException("The worker refused the key: enter the right one in Settings.", null, false, null);
        e.status = 401;
        return e;
    }

    public static WorkerException status(int code, String body) {
        var hint = switch (code) {
            case 403 -> " — check the Modal key and secret in Settings";
            case 404 -> " — is the worker URL right?";
            default -> "";
        };
        var text = body == null || body.isBlank() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
        var e = new WorkerException("The worker answered HTTP " + code + hint + text, null, false, null);
        e.status = code;
        return e;
    }

    public Optional<Problem> problemDocument() {
        return Optional.ofNullable(problem);
    }

    public List<FieldError> fieldErrors() {
        return problem == null || problem.errors() == null ? List.of() : problem.errors();
    }

    /** The HTTP status the worker answered with, 0 when it was not reached. */
    public int status() {
        return problem != null ? problem.status() : status;
    }

    public boolean unreachable() {
        return unreachable;
    }
}
