package dev.labdesk.worker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Problem;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into {@code application/problem+json}; nothing leaks a stack trace. */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    private final ObjectMapper mapper;

    public Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void register(RoutesConfig routes) {
        routes.exception(ProblemException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            send(ctx, e.problem());
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> send(ctx, Problem.of(e.getStatus(), reason(e.getStatus()), e.getMessage())));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            send(ctx, Problem.of(500, "Internal error", "the worker failed to handle this request; see its log"));
        });
        routes.error(404, ctx -> {
            if (!ctx.res().isCommitted() && ctx.result() == null)
                send(ctx, Problem.of(404, "Not found", "no route for " + ctx.method() + " " + ctx.path()));
        });
        routes.error(405, ctx -> send(ctx, Problem.of(405, "Method not allowed", ctx.method() + " is not allowed on " + ctx.path())));
    }

    public void send(Context ctx, Problem problem) {
        try {
            ctx.status(problem.status())
                    .contentType(Problem.MEDIA_TYPE)
                    .result(mapper.writeValueAsBytes(problem.instance() == null ? withInstance(problem, ctx.path()) : problem));
        } catch (Exception e) {
            ctx.status(500).result("internal error");
        }
    }

    private static Problem withInstance(Problem p, String path) {
        return new Problem(p.type(), p.title(), p.status(), p.detail(), path, p.errors());
    }

    private static String reason(int status) {
        var s = io.javalin.http.HttpStatus.forStatus(status);
        return s == io.javalin.http.HttpStatus.UNKNOWN ? "Error" : s.getMessage();
    }
}
