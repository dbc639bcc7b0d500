package dev.labdesk.worker.http;

import io.javalin.http.HttpStatus;
import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Problem;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.InternalRouter;
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
    }

    /** 405 with {@code Allow}; given the router once every route is in it, since Allow lists the path's methods. */
    public void registerMethodNotAllowed(InternalRouter router) {
        router.addHttpErrorHandler(405, "*", ctx -> {
            var allow = HttpMethods.allow(router, ctx);
            ctx.header("Allow", allow);
            send(ctx, Problem.of(405, "Method not allowed", ctx.method() + " is not allowed on " + ctx.path() + "; it answers " + allow));
        });
    }

    /**
     * Refuses a WebSocket upgrade with a problem body: Javalin sends a thrown problem's status on an
     * upgrade request but not its body, so the body is written here and the upgrade skipped.
     */
    public void refuseUpgrade(Context ctx, Problem problem) {
        try {
            var body = mapper.writeValueAsBytes(problem.instance() == null ? withInstance(problem, ctx.path()) : problem);
            ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE);
            ctx.res().setContentLength(body.length);
            ctx.res().getOutputStream().write(body);
        } catch (IOException e) {
            ctx.status(problem.status()); // the client went away; the status is all it could have had
        }
        ctx.skipRemainingHandlers();
    }

    /** Runs an upgrade check; a problem it throws refuses the upgrade with that problem's body. */
    public void guardUpgrade(Context ctx, Runnable check) {
        try {
            check.run();
        } catch (ProblemException e) {
            refuseUpgrade(ctx, e.problem());
        }
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
        return p.withInstance(path);
    }

    private static String reason(int status) {
        var s = HttpStatus.forStatus(status);
        return s == HttpStatus.UNKNOWN ? "Error" : s.getMessage();
    }
}
