package dev.labdesk.worker.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.events.EventLog;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.volume.VolumeStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

/**
 * Status, manifest, report and cancellation of sessions. A principal sees only the sessions it
 * created (an admin sees all); someone else's session answers 404 exactly as an unknown id does.
 */
public final class SessionRoutes {
    static final int LIST_DEFAULT = 100;
    static final int LIST_MAX = 1000;

    /** How long a cancel waits for the agent to stop before answering 202 with the session as it is. */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(15);

    private final SessionService sessions;
    private final VolumeStore volumes;
    private final EventLog events;

    public SessionRoutes(SessionService sessions, VolumeStore volumes, EventLog events, ObjectMapper mapper) {
        this.sessions = sessions;
        this.volumes = volumes;
        this.events = events;
    }

    public void register(RoutesConfig routes) {
        routes.get("/sessions", this::list);
        routes.get("/sessions/{id}", ctx -> ctx.json(session(ctx)));
        routes.get("/sessions/{id}/files", ctx -> ctx.json(sessions.store().manifest(session(ctx).sessionId())));
        routes.get("/sessions/{id}/report", this::report);
        routes.post("/sessions/{id}/cancel", this::cancel);
    }

    private void list(Context ctx) {
        int limit = LIST_DEFAULT;
        var raw = ctx.queryParam("limit");
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > LIST_MAX) throw ProblemException.field("limit", "must be a whole number from 1 to " + LIST_MAX);
        }
        var caller = Principal.of(ctx);
        ctx.json(caller.admin() ? sessions.store().list(limit) : sessions.store().listOwnedBy(caller.id(), limit));
    }

    /** The session named by the path if the caller may see it, or a 404 that says why (never whose it is). */
    private SessionInfo session(Context ctx) {
        var id = ctx.pathParam("id");
        if (!SessionIds.valid(id)) throw ProblemException.notFound("'" + id + "' is not a session id (a lowercase UUID)");
        return SessionAccess.visible(sessions.store(), Principal.of(ctx), id).orElseThrow(() -> ProblemException.notFound("no session " + id));
    }

    private void report(Context ctx) throws IOException {
        var session = session(ctx);
        var accept = ctx.header("Accept");
        boolean json = accept != null && accept.contains("application/json") && !accept.contains("text/markdown");
        var file = volumes.file(session.sessionId(), json ? "results/report.json" : "results/report.md");
        if (file.isEmpty()) {
            var why = session.status().terminal()
                    ? "the agent wrote no report (session " + session.status().wire() + ")"
                    : "the report is not written yet (session " + session.status().wire() + ")";
            throw ProblemException.notFound(why);
        }
        ctx.contentType(json ? "application/json" : "text/markdown; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .result(Files.newInputStream(file.get()));
    }

    /** Answers with the ended session (200, status cancelled), or 202 with it as it is if its agent has not stopped in time. */
    private void cancel(Context ctx) throws InterruptedException {
        var session = session(ctx);
        if (!sessions.cancel(session.sessionId()))
            throw ProblemException.of(409, "Conflict", "session " + session.sessionId() + " is already " + session.status().wire());
        var now = awaitEnded(session.sessionId(), CANCEL_WAIT).orElse(session);
        ctx.status(now.status().terminal() ? 200 : 202).json(now);
    }

    /** The session once terminal, or as it is after {@code wait}; each new event of the session wakes the wait. */
    private Optional<SessionInfo> awaitEnded(String sessionId, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long seen = events.lastSeq(sessionId);
        while (true) {
            var now = sessions.store().get(sessionId);
            long left = deadline - System.nanoTime();
            if (now.isEmpty() || now.get().status().terminal() || left <= 0) return now;
            var batch = events.read(sessionId, seen, 1_000, Duration.ofNanos(Math.min(left, Duration.ofMillis(200).toNanos())));
            if (!batch.events().isEmpty()) seen = batch.events().getLast().seq();
        }
    }
}
