package dev.labdesk.worker.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.Problem;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.UploadAccepted;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.session.SessionService;
import dev.labdesk.worker.volume.VolumeStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.eclipse.jetty.http.MultiPart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /upload}: one multipart request in, one committed volume and a queued session out,
 * or a problem document and nothing left behind.
 */
public final class UploadRoutes {
    private static final Logger log = LoggerFactory.getLogger(UploadRoutes.class);

    private final VolumeStore volumes;
    private final SessionService sessions;
    private final ObjectMapper mapper;

    public UploadRoutes(VolumeStore volumes, SessionService sessions, ObjectMapper mapper, Clock clock) {
        this.volumes = volumes;
        this.sessions = sessions;
        this.mapper = mapper;
    }

    public void register(RoutesConfig routes) {
        routes.post("/upload", this::upload);
    }

    private void upload(Context ctx) throws IOException {
        sessions.checkAdmission(Principal.of(ctx).id());
        var contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data"))
            throw new ProblemException(new Problem("https://labdesk.dev/problems/validation", "Unsupported media type", 415,
                    "POST /upload takes multipart/form-data", null,
                    List.of(new FieldError("body", "must be multipart/form-data (got " + (contentType == null ? "no Content-Type" : "'" + contentType + "'") + ")"))));
        var boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty())
            throw ProblemException.field("body", "the multipart Content-Type has no boundary parameter");

        var sessionId = SessionIds.newId();
        var form = new ContextForm(mapper);
        ContextForm.Result context;
        List<FileEntry> manifest;
        long bytes;
        // closed in reverse order: the writer stops before the staging area is removed or published
        try (var upload = volumes.begin(sessionId); var hasher = new ParallelHasher(); var files = new FileWriterSink(upload, hasher)) {
            var intake = new MultipartIntake(form, files, hasher);
            try {
                intake.read(BodyChunks.of(ctx.req()), boundary);
            } catch (MultipartIntake.VolumeWriteException e) {
                log.error("upload {}: writing the volume failed", sessionId, e);
                throw ProblemException.of(507, "Insufficient storage", "the worker could not store the upload: " + e.getMessage());
            } catch (IOException e) {
                // the client went away mid-body; the staging area goes with the try block
                log.info("upload {} interrupted: {}", sessionId, e.toString());
                throw ProblemException.field("body", "the upload was interrupted before it was complete");
            }
            var errors = new ArrayList<>(intake.errors());
            context = form.build();
            // errors already reported while reading are not repeated
            for (var e : context.errors()) if (!errors.contains(e)) errors.add(e);
            if (intake.fileParts() == 0 && errors.stream().noneMatch(e -> e.field().equals("body"))) errors.add(new FieldError("files", "at least one file is required"));
            if (!errors.isEmpty()) throw new ProblemException(problem(intake.status(), errors));
            upload.commit();
            manifest = files.manifest();
            bytes = files.bytes();
        }
        var session = sessions.open(sessionId, Principal.of(ctx).id(), context.context(), manifest);
        log.info("session {}: {} files, {} bytes stored in {}", sessionId, manifest.size(), bytes, session.volume());
        ctx.status(202)
                .header("Location", "/sessions/" + sessionId)
                .json(new UploadAccepted(sessionId, session.volume(), "/sessions/" + sessionId + "/events", manifest.size(), bytes));
    }

    private static Problem problem(int status, List<FieldError> errors) {
        var p = Problem.validation(errors);
        if (status == 422) return p;
        var title = status == 413 ? "Payload too large" : "Bad request";
        return new Problem(p.type(), title, status, p.detail(), null, p.errors());
    }
}
