package dev.labdesk.worker.upload;

import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.http.Problems;
import io.javalin.config.RoutesConfig;

/**
 * A resumable upload this worker does not hold is refused with a 404 that says why: never planned
 * here, finished, expired, or (with Redis) planned by another instance. Pending resumable uploads stay with the instance that
 * planned them on purpose: their bytes are staged on that instance's disk next to the volume they
 * become, and moving chunk bytes through Redis would put gigabytes into a memory store. A tus
 * client that gets this 404 starts the file again, which is what it should do when its instance is gone.
 * Another principal's upload gets the same 404: it must not learn that the upload exists.
 */
public final class UnknownUploads {
    private final Problems problems;
    private final ResumableUploads resumable;
    private final boolean shared;

    /**
     * {@code shared}: several instances share this deployment through Redis, and an unknown upload may be
     * another instance's; a single worker's 404 says only what is true for it.
     */
    public UnknownUploads(Problems problems, ResumableUploads resumable, boolean shared) {
        this.shared = shared;
        this.problems = problems;
        this.resumable = resumable;
    }

    public void register(RoutesConfig routes) {
        routes.before("/tus/{file_id}", ctx -> {
            var id = ctx.pathParam("file_id");
            if (resumable.slot(id, Principal.of(ctx)).isEmpty()) throw unknown("file " + id);
        });
        routes.before("/uploads/{id}", ctx -> {
            var id = ctx.pathParam("id");
            if (resumable.status(id, Principal.of(ctx)).isEmpty()) throw unknown("upload " + id);
        });
        routes.before("/uploads/{id}/complete", ctx -> {
            var id = ctx.pathParam("id");
            if (resumable.status(id, Principal.of(ctx)).isEmpty()) throw unknown("upload " + id);
        });
    }

    private ProblemException unknown(String what) {
        if (!shared)
            return ProblemException.notFound("no pending " + what + ": it was never planned here, or it was completed, "
                    + "abandoned or expired (unfinished uploads are kept 24 h after their last chunk, across restarts of the worker). "
                    + "Plan the upload again with POST /uploads");
        return ProblemException.notFound("no pending " + what + " on this worker instance. Several instances share this "
                + "deployment, and a resumable upload is held by the instance that planned it (its bytes are staged on that "
                + "instance's disk): send every request of one upload to that instance, or plan the upload again with POST /uploads");
    }
}
