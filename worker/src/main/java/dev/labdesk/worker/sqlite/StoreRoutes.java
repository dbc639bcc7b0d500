package dev.labdesk.worker.sqlite;

import dev.labdesk.model.Problem;
import dev.labdesk.worker.http.Problems;
import io.javalin.config.RoutesConfig;

/** A write the database could not take answers 503 with {@code Retry-After}, not 500: retrying later can succeed. */
public final class StoreRoutes {
    static final String RETRY_AFTER_SECONDS = "2";
    private final Problems problems;

    public StoreRoutes(Problems problems) {
        this.problems = problems;
    }

    public void register(RoutesConfig routes) {
        routes.exception(StoreUnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            problems.send(ctx, Problem.of(503, "Service unavailable", e.getMessage()));
        });
    }
}
