package dev.labdesk.worker.redis;

import dev.labdesk.model.Problem;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.http.Problems;
import dev.labdesk.worker.upload.ResumableUploads;
import io.javalin.config.RoutesConfig;

/**
 * What changes on the HTTP side when several workers share Redis: a Redis outage answers 503
 * (problem+json, {@code Retry-After}) instead of 500, and a resumable upload that another instance
 * planned is refused with a 404 that says why. Pending resumable uploads stay with the instance that
 * planned them on purpose: their bytes are staged on that instance's disk next to the volume they
 * become, and moving chunk bytes through Redis would put gigabytes into a memory store. A tus
 * client that gets this 404 starts the file again, which is what it should do when its instance is gone.
 * Another principal's upload gets the same 404: it must not learn that the upload exists.
 */
public final class RedisRoutes {
    static final String RETRY_AFTER_SECONDS = "2";
    private final Problems problems;
    private final ResumableUploads resumable;

    public RedisRoutes(Problems problems, ResumableUploads resumable) {
        this.problems = problems;
        this.resumable = resumable;
    }

    public void register(RoutesConfig routes) {
        routes.exception(RedisUnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            problems.send(ctx, Problem.of(503, "Service unavailable", e.getMessage()));
        });
        routes.before("/tus/{file_id}", ctx -> {
            var id = ctx.pathParam("file_id");
            if (resumable.slot(id, Principal.of(ctx)).isEmpty()) throw elsewhere("file " + id);
        });
        routes.before("/uploads/{id}", ctx -> {
            var id = ctx.pathParam("id");
            if (resumable.status(id, Principal.of(ctx)).isEmpty()) throw elsewhere("upload " + id);
        });
        routes.before("/uploads/{id}/complete", ctx -> {
            var id = ctx.pathParam("id");
            if (resumable.status(id, Principal.of(ctx)).isEmpty()) throw elsewhere("upload " + id);
        });
    }

    private static ProblemException elsewhere(String what) {
        return ProblemException.notFound("no pending " + what + " on this worker instance. Several instances share this "
                + "deployment, and a resumable upload is held by the instance that planned it (its bytes are staged on that "
                + "instance's disk): send every request of one upload to that instance, or plan the upload again with POST /uploads");
    }
}
