package dev.labdesk.worker.session;

import dev.labdesk.model.SessionIds;
import dev.labdesk.worker.agent.analysis.figures.FigureFiles;
import dev.labdesk.worker.agent.analysis.figures.FigureNames;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.volume.VolumeStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.file.Files;

/**
 * The report's figures, {@code GET /sessions/{id}/report/figures/{name}.svg|.png}, for whoever may read the
 * report: only names the agent could have made (no path, no dot but the suffix) and only under
 * {@code results/figures/}; someone else's session answers 404 as an unknown one does. An SVG is served
 * under a policy that lets it style itself and nothing more, so a crafted one cannot run script.
 */
public final class ReportFigureRoutes {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    private final SessionService sessions;
    private final VolumeStore volumes;

    public ReportFigureRoutes(SessionService sessions, VolumeStore volumes) {
        this.sessions = sessions;
        this.volumes = volumes;
    }

    public void register(RoutesConfig routes) {
        routes.get("/sessions/{id}/report/figures/{file}", this::figure);
    }

    private void figure(Context ctx) throws IOException {
        var id = ctx.pathParam("id");
        if (!SessionIds.valid(id)) throw ProblemException.notFound("'" + id + "' is not a session id (a lowercase UUID)");
        var session = SessionAccess.visible(sessions.store(), Principal.of(ctx), id).orElseThrow(() -> ProblemException.notFound("no session " + id));
        var file = ctx.pathParam("file");
        int dot = file.lastIndexOf('.');
        var suffix = dot < 0 ? "" : file.substring(dot + 1);
        var type = switch (suffix) {
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            default -> null;
        };
        if (type == null || !FigureNames.valid(file.substring(0, dot)))
            throw ProblemException.notFound("no figure named '" + file + "' (figures are <name>.svg or <name>.png)");
        var found = volumes.file(session.sessionId(), "results/" + FigureFiles.DIR + "/" + file)
                .orElseThrow(() -> ProblemException.notFound("no figure " + file + " in the report of session " + id));
        ctx.contentType(type)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("Cache-Control", "private, no-cache")
                .result(Files.newInputStream(found));
    }
}
