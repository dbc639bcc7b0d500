package dev.labdesk.worker.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.Problem;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.UploadAccepted;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.http.Problems;
import dev.labdesk.worker.session.SessionService;
import dev.labdesk.worker.volume.VolumeStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.eclipse.jetty.http.MultiPart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
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
    private final UploadBudget budget;
    private final ObjectMapper mapper;
    private final Problems problems;

    public UploadRoutes(VolumeStore volumes, SessionService sessions, UploadBudget budget, ObjectMapper mapper, Clock clock) {
        this.volumes = volumes;
        this.sessions = sessions;
        this.budget = budget;
        this.mapper = mapper;
        this.problems = new Problems(mapper);
    }

    public void register(RoutesConfig routes) {
        routes.exception(RetryLaterException.class, (e, ctx) -> {
            ctx.header("Retry-After", e.retryAfterSeconds());
            problems.send(ctx, e.problem());
        });
        routes.post("/upload", this::upload);
    }

    /** The pace every upload body must keep (see {@link BodyChunks.Pace}). */
    static BodyChunks.Pace pace(UploadBudget budget) {
        return new BodyChunks.Pace(budget.limits().uploadIdleTimeout(), budget.limits().uploadMinBytesPerSecond());
    }

    private void upload(Context ctx) throws IOException {
        sessions.checkAdmission(Principal.of(ctx).id());
        var contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data"))
            throw new ProblemException(Problem.unsupportedMediaType("POST /upload takes multipart/form-data",
                    new FieldError("body", "must be multipart/form-data (got " + (contentType == null ? "no Content-Type" : "'" + contentType + "'") + ")")));
        var boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty())
            throw ProblemException.field("body", "the multipart Content-Type has no boundary parameter");

        var owner = Principal.of(ctx).id();
        long length = ctx.req().getContentLengthLong();
        var sessionId = SessionIds.newId();
        var body = BodyChunks.of(ctx.req(), pace(budget));
        // a refusal before the body has been read to its end closes the connection: the rest of the
        // body is not drained, and the connection could carry no further request after it anyway
        try (var permit = budget.body(owner); var reservation = budget.reserve(owner, Math.max(0, length))) {
            receive(ctx, sessionId, owner, body, reservation);
        } catch (RuntimeException | IOException e) {
            if (!body.ended()) ctx.header("Connection", "close");
            throw e;
        }
    }

    private void receive(Context ctx, String sessionId, String owner, BodyChunks body, UploadBudget.Reservation reservation) throws IOException {
        var form = new ContextForm(mapper);
        var errors = new ErrorList(budget.limits().maxValidationErrors());
        ContextForm.Result context;
        List<FileEntry> manifest;
        long bytes;
        // closed in reverse order: the writer stops before the staging area is removed or published
        try (var upload = volumes.begin(sessionId); var hasher = new ParallelHasher(); var files = new FileWriterSink(upload, hasher)) {
            var intake = new MultipartIntake(form, files, hasher, errors, reservation);
            try {
                var boundary = boundary(ctx);
                OffCarrier.call("upload-reader", () -> {
                    intake.read(body, boundary);
                    return null;
                });
            } catch (MultipartIntake.VolumeWriteException e) {
                log.error("upload {}: writing the volume failed", sessionId, e);
                throw ProblemException.of(507, "Insufficient storage", "the worker could not store the upload: " + e.getMessage());
            } catch (BodyChunks.SlowClientException e) {
                log.info("upload {} cut: {}", sessionId, e.getMessage());
                throw ProblemException.of(408, "Request timeout", e.getMessage());
            } catch (IOException e) {
                // the client went away mid-body; the staging area goes with the try block
                log.info("upload {} interrupted: {}", sessionId, e.toString());
                throw ProblemException.field("body", "the upload was interrupted before it was complete");
            }
            context = form.build();
            // errors already reported while reading are not repeated
            for (var e : context.errors()) errors.addIfAbsent(e);
            if (intake.fileParts() == 0 && !errors.any("body")) errors.add("files", "at least one file is required");
            if (!errors.isEmpty()) throw new ProblemException(problem(intake.status(), errors));
            upload.commit();
            manifest = files.manifest();
            bytes = files.bytes();
        }
        var session = sessions.open(sessionId, owner, context.context(), manifest);
        log.info("session {}: {} files, {} bytes stored in {}", sessionId, manifest.size(), bytes, session.volume());
        ctx.status(202)
                .header("Location", "/sessions/" + sessionId)
                .json(new UploadAccepted(sessionId, session.volume(), "/sessions/" + sessionId + "/events", manifest.size(), bytes));
    }

    private static String boundary(Context ctx) {
        return MultiPart.extractBoundary(ctx.contentType());
    }

    private static Problem problem(int status, ErrorList errors) {
        var title = switch (status) {
            case 422 -> "Invalid request";
            case 413 -> "Payload too large";
            default -> "Bad request";
        };
        return errors.problem(status, title);
    }
}
