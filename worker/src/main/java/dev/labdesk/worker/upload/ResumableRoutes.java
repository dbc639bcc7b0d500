package dev.labdesk.worker.upload;

import io.javalin.http.Handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.Problem;
import dev.labdesk.model.ResumableUpload;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.http.ProblemException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The resumable upload API: the plan ({@code /uploads}) in our JSON, the bytes over tus 1.0
 * ({@code /tus/{file_id}}: HEAD, PATCH, and the creation extension for clients that start from
 * {@code POST /tus} with {@code Upload-Metadata: upload_id …, path …}).
 */
public final class ResumableRoutes {
    static final String TUS_VERSION = "1.0.0";
    private static final int PLAN_MAX_BYTES = 64 * 1024 * 1024;

    private final ResumableUploads uploads;
    private final ObjectMapper mapper;

    public ResumableRoutes(ResumableUploads uploads, ObjectMapper mapper) {
        this.uploads = uploads;
        this.mapper = mapper;
    }

    public void register(RoutesConfig routes) {
        routes.post("/uploads", this::plan);
        routes.get("/uploads/{id}", ctx -> ctx.json(uploads.status(ctx.pathParam("id"), Principal.of(ctx))
                .orElseThrow(() -> ProblemException.notFound("no pending upload " + ctx.pathParam("id")))));
        routes.post("/uploads/{id}/complete", ctx -> ctx.status(202).json(uploads.complete(ctx.pathParam("id"), Principal.of(ctx))));
        routes.delete("/uploads/{id}", ctx -> {
            if (!uploads.abort(ctx.pathParam("id"), Principal.of(ctx))) throw ProblemException.notFound("no pending upload " + ctx.pathParam("id"));
            ctx.status(204);
        });
        routes.addEndpoint(Endpoint.create(HandlerType.OPTIONS, "/tus").handler(this::options));
        routes.post("/tus", ctx -> retryIfLocked(ctx, this::create));
        routes.head("/tus/{file_id}", this::head);
        routes.patch("/tus/{file_id}", ctx -> retryIfLocked(ctx, this::patch));
    }

    private void plan(Context ctx) throws IOException {
        uploads.sessions().checkAdmission(Principal.of(ctx).id());
        var body = ctx.req().getInputStream().readNBytes(PLAN_MAX_BYTES + 1);
        if (body.length > PLAN_MAX_BYTES) throw ProblemException.of(413, "Payload too large", "an upload plan is at most 64 MiB of JSON");
        ResumableUpload.Request request;
        try {
            request = mapper.readValue(body, ResumableUpload.Request.class);
        } catch (IOException e) {
            throw ProblemException.field("body", "must be JSON: {\"context\": {…}, \"files\": [{\"path\", \"size\", \"sha256\"}, …]}");
        }
        if (request == null) throw ProblemException.field("body", "must be a JSON object");
        var created = uploads.plan(Principal.of(ctx).id(), request);
        ctx.status(201).header("Location", "/uploads/" + created.uploadId()).json(created);
    }

    /** A 423 (the file's previous PATCH has not let go yet) says when to try again. */
    private static void retryIfLocked(Context ctx, Handler handler) throws Exception {
        try {
            handler.handle(ctx);
        } catch (ProblemException e) {
            if (e.problem().status() == 423) ctx.header("Retry-After", "1");
            throw e;
        }
    }

    private void options(Context ctx) {
        tusHeaders(ctx);
        ctx.header("Tus-Version", TUS_VERSION).header("Tus-Extension", "creation,expiration").status(204);
    }

    private void create(Context ctx) {
        requireTus(ctx);
        var metadata = metadata(ctx.header("Upload-Metadata"));
        var uploadId = metadata.get("upload_id");
        var path = metadata.get("path") != null ? metadata.get("path") : metadata.get("filename");
        if (uploadId == null || path == null)
            throw ProblemException.field("Upload-Metadata", "must carry upload_id and path (plan the upload with POST /uploads first)");
        var slot = uploads.find(uploadId, path, longHeader(ctx, "Upload-Length"), Principal.of(ctx));
        tusHeaders(ctx);
        ctx.status(201).header("Location", "/tus/" + slot.fileId()).header("Upload-Offset", Long.toString(slot.offset()));
    }

    private void head(Context ctx) {
        var slot = uploads.slotNow(ctx.pathParam("file_id"), Principal.of(ctx)).orElseThrow(() -> ProblemException.notFound("no pending file " + ctx.pathParam("file_id")));
        tusHeaders(ctx);
        ctx.header("Upload-Offset", Long.toString(slot.offset()))
                .header("Upload-Length", Long.toString(slot.size()))
                .header("Upload-Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(slot.expiresAt().atOffset(ZoneOffset.UTC)))
                .header("Cache-Control", "no-store")
                .status(200);
    }

    private void patch(Context ctx) throws IOException {
        requireTus(ctx);
        var type = ctx.contentType();
        if (type == null || !type.startsWith("application/offset+octet-stream"))
            throw new ProblemException(Problem.unsupportedMediaType("tus PATCH bodies are application/offset+octet-stream",
                    new FieldError("Content-Type", "must be application/offset+octet-stream")));
        long offset = longHeader(ctx, "Upload-Offset");
        var who = Principal.of(ctx);
        var body = BodyChunks.of(ctx.req(), UploadRoutes.pace(uploads.budget()));
        long now;
        try (var permit = uploads.budget().body(who.id())) {
            var fileId = ctx.pathParam("file_id");
            now = OffCarrier.call("tus-writer", () -> uploads.append(fileId, offset, body, who));
        } catch (BodyChunks.SlowClientException e) {
            ctx.header("Connection", "close");
            throw ProblemException.of(408, "Request timeout", e.getMessage() + "; the bytes before were kept: ask HEAD for the offset and resume");
        } catch (IOException e) {
            // 409, not 4xx-final: tus-js-client and the desktop retry a 409 (HEAD, then resume from the kept offset)
            ctx.header("Connection", "close");
            throw ProblemException.of(409, "Upload interrupted", "the request body ended before its Content-Length; the bytes before were kept: ask HEAD for the offset and resume");
        } catch (RuntimeException e) {
            if (!body.ended()) ctx.header("Connection", "close");
            throw e;
        }
        var slot = uploads.slot(ctx.pathParam("file_id"), who);
        tusHeaders(ctx);
        ctx.header("Upload-Offset", Long.toString(now)).status(204);
        slot.ifPresent(s -> ctx.header("Upload-Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(s.expiresAt().atOffset(ZoneOffset.UTC))));
    }

    private static void requireTus(Context ctx) {
        var version = ctx.header("Tus-Resumable");
        if (!TUS_VERSION.equals(version)) {
            ctx.header("Tus-Version", TUS_VERSION);
            throw new ProblemException(Problem.preconditionFailed("this server speaks tus " + TUS_VERSION,
                    new FieldError("Tus-Resumable", "must be " + TUS_VERSION + (version == null ? "" : ", got " + version))));
        }
    }

    private static void tusHeaders(Context ctx) {
        ctx.header("Tus-Resumable", TUS_VERSION);
    }

    private static long longHeader(Context ctx, String name) {
        var v = ctx.header(name);
        try {
            long n = Long.parseLong(v == null ? "" : v.strip());
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProblemException.field(name, "must be a whole number ≥ 0" + (v == null ? " (header missing)" : ", got '" + v + "'"));
    }

    /** tus {@code Upload-Metadata}: comma-separated {@code key base64value} pairs. */
    static Map<String, String> metadata(String header) {
        var out = new HashMap<String, String>();
        if (header == null || header.isBlank()) return out;
        for (var pair : header.split(",")) {
            var kv = pair.strip().split(" ", 2);
            if (kv[0].isEmpty()) continue;
            try {
                out.put(kv[0], kv.length < 2 ? "" : new String(Base64.getDecoder().decode(kv[1].strip()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ProblemException.field("Upload-Metadata", "value of '" + kv[0] + "' is not base64");
            }
        }
        return out;
    }
}
