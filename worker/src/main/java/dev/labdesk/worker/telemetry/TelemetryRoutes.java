package dev.labdesk.worker.telemetry;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

/**
 * Upload requests as server spans: {@code upload} ({@code POST /upload}), {@code upload plan},
 * {@code upload chunk} (tus PATCH) and {@code upload complete}, with method, path, status and bytes.
 */
public final class TelemetryRoutes {
    private static final String SPAN = "labdesk.span";
    private final Tracer tracer;

    public TelemetryRoutes(Tracer tracer) {
        this.tracer = tracer;
    }

    public void register(RoutesConfig routes) {
        routes.before("/upload", ctx -> start(ctx, "upload"));
        routes.before("/uploads", ctx -> start(ctx, "upload plan"));
        routes.before("/uploads/{id}/complete", ctx -> start(ctx, "upload complete"));
        routes.before("/tus/{file_id}", ctx -> {
            if (ctx.method().name().equals("PATCH")) start(ctx, "upload chunk");
        });
        routes.after(ctx -> {
            Span span = ctx.attribute(SPAN);
            if (span == null) return;
            int status = ctx.statusCode();
            span.setAttribute("http.response.status_code", status);
            var session = ctx.res().getHeader("Location");
            if (session != null && session.startsWith("/sessions/")) span.setAttribute("labdesk.session_id", session.substring(10));
            if (status >= 400) span.setStatus(StatusCode.ERROR);
            span.end();
        });
    }

    private void start(Context ctx, String name) {
        if (!ctx.method().name().equals("POST") && !ctx.method().name().equals("PATCH")) return;
        var span = tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", ctx.method().name())
                .setAttribute("url.path", ctx.path())
                .setAttribute("http.request.body.size", Math.max(0, ctx.req().getContentLengthLong()))
                .startSpan();
        ctx.attribute(SPAN, span);
    }
}
