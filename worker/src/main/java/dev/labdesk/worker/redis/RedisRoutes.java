package dev.labdesk.worker.redis;

import dev.labdesk.model.Problem;
import dev.labdesk.worker.http.Problems;
import io.javalin.config.RoutesConfig;

/**
 * A Redis outage, on the HTTP side: 503 (problem+json, {@code Retry-After}) instead of 500, so clients retry.
 */
public final class RedisRoutes {
    static final String RETRY_AFTER_SECONDS = "2";
    private final Problems problems;

    public RedisRoutes(Problems problems) {
        this.problems = problems;
    }

    public void register(RoutesConfig routes) {
        routes.exception(RedisUnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            problems.send(ctx, Problem.of(503, "Service unavailable", e.getMessage()));
        });
    }
}
