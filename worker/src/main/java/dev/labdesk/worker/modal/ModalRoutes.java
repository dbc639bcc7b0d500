package dev.labdesk.worker.modal;

import dev.labdesk.model.Problem;
import dev.labdesk.worker.http.Problems;
import io.javalin.config.RoutesConfig;

/** Answers a request that failed in the Modal bridge with 502 and the bridge's reason, instead of a bare 500. */
public final class ModalRoutes {
    private final Problems problems;

    public ModalRoutes(Problems problems) {
        this.problems = problems;
    }

    public void register(RoutesConfig routes) {
        routes.exception(ModalUnavailableException.class, (e, ctx) ->
                problems.send(ctx, Problem.of(502, "Bad gateway", e.getMessage())));
    }
}
