package dev.labdesk.worker.auth;

import dev.labdesk.model.FieldError;
import dev.labdesk.model.Problem;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.http.Problems;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * What keeps a web page in the user's browser from driving the worker: a {@code Host} this worker
 * is not known by is refused (421; DNS rebinding), a state-changing request or WebSocket upgrade
 * from another origin is refused (403), and JSON endpoints take only JSON (415), since a cross-site
 * form can send {@code text/plain} without asking first. CORS headers go only to configured origins.
 */
public final class RequestGuard {
    private static final Set<String> JSON_BODIES = Set.of("/uploads", "/extract-profile", "/auth/login");
    private static final Set<HandlerType> STATE_CHANGING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    static final String CORS_METHODS = "GET, HEAD, POST, PATCH, DELETE, OPTIONS";
    static final String CORS_HEADERS = "Authorization, Content-Type, Last-Event-ID, Idempotency-Key, Tus-Resumable, Upload-Length, "
            + "Upload-Offset, Upload-Metadata, X-HTTP-Method-Override";
    static final String CORS_EXPOSED = "Location, Upload-Offset, Upload-Length, Upload-Expires, Tus-Resumable, Tus-Version, Tus-Extension, Retry-After";

    private final AuthSettings settings;
    private final Problems problems;

    public RequestGuard(AuthSettings settings, Problems problems) {
        this.settings = settings;
        this.problems = problems;
    }

    public void register(RoutesConfig routes) {
        routes.before(this::http);
        routes.wsBeforeUpgrade(ctx -> problems.guardUpgrade(ctx, () -> upgrade(ctx)));
    }

    private void http(Context ctx) {
        checkHost(ctx);
        var origin = ctx.header("Origin");
        if (origin != null && settings.corsOrigins().contains(origin.toLowerCase(Locale.ROOT))) corsHeaders(ctx, origin);
        if (ctx.method() == HandlerType.OPTIONS && origin != null && ctx.header("Access-Control-Request-Method") != null) {
            if (!settings.corsOrigins().contains(origin.toLowerCase(Locale.ROOT)))
                throw ProblemException.of(403, "Forbidden", "this worker takes no cross-origin requests from " + origin);
            ctx.status(204).skipRemainingHandlers(); // a preflight: the headers above are the answer
            return;
        }
        if (STATE_CHANGING.contains(ctx.method())) {
            checkOrigin(ctx, origin);
            checkContentType(ctx);
        }
    }

    private void upgrade(Context ctx) {
        checkHost(ctx);
        checkOrigin(ctx, ctx.header("Origin"));
    }

    private void checkHost(Context ctx) {
        var host = hostName(ctx.header("Host"));
        if (host == null || Hosts.isLoopback(host) || settings.allowedHosts().contains("*") || settings.allowedHosts().contains(host)) return;
        throw ProblemException.of(421, "Misdirected request", "this worker does not answer to the host name '" + host
                + "': use 127.0.0.1, or add the name to LABDESK_ALLOWED_HOSTS (or LABDESK_PUBLIC_URL)");
    }

    private void checkOrigin(Context ctx, String origin) {
        if (origin == null) return; // not a browser, or a same-origin GET: nothing a page can forge here
        var lower = origin.toLowerCase(Locale.ROOT);
        if (settings.corsOrigins().contains(lower)) return;
        if (!lower.equals("null")) {
            try {
                var uri = URI.create(lower);
                var requestHost = ctx.header("Host");
                if (uri.getRawAuthority() != null && requestHost != null && authority(uri).equals(withDefaultPort(requestHost.toLowerCase(Locale.ROOT), uri.getScheme())))
                    return;
            } catch (IllegalArgumentException ignored) {
                // not an origin: refused below
            }
        }
        throw ProblemException.of(403, "Forbidden", "requests from the page at " + origin + " may not change anything on this worker"
                + " (only its own page may, or origins listed in LABDESK_CORS_ORIGINS)");
    }

    private static void checkContentType(Context ctx) {
        var path = ctx.path();
        var type = ctx.contentType();
        boolean json = type != null && isJson(type);
        if (JSON_BODIES.contains(path)) {
            if (!json) throw unsupported(path, type, "application/json");
        } else if (path.startsWith("/sessions/") && path.endsWith("/cancel") || path.startsWith("/uploads/") && path.endsWith("/complete")) {
            if (type != null && !json) throw unsupported(path, type, "no body, or application/json");
        }
    }

    private static boolean isJson(String type) {
        var base = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return base.equals("application/json") || base.startsWith("application/") && base.endsWith("+json");
    }

    private static ProblemException unsupported(String path, String type, String wanted) {
        return new ProblemException(Problem.unsupportedMediaType("POST " + path + " takes " + wanted,
                new FieldError("Content-Type", "must be " + wanted + " (got " + (type == null ? "none" : "'" + type + "'") + ")")));
    }

    private static void corsHeaders(Context ctx, String origin) {
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Allow-Credentials", "true");
        ctx.header("Access-Control-Allow-Methods", CORS_METHODS);
        ctx.header("Access-Control-Allow-Headers", CORS_HEADERS);
        ctx.header("Access-Control-Expose-Headers", CORS_EXPOSED);
        ctx.header("Access-Control-Max-Age", "600");
        ctx.header("Vary", "Origin");
    }

    /** The name part of a Host header: {@code [::1]:8000} → {@code [::1]}, {@code Example.org:80} → {@code example.org}. */
    static String hostName(String header) {
        if (header == null || header.isBlank()) return null;
        var h = header.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static String authority(URI origin) {
        return withDefaultPort(origin.getRawAuthority(), origin.getScheme());
    }

    private static String withDefaultPort(String authority, String scheme) {
        boolean hasPort = authority.startsWith("[") ? authority.contains("]:") : authority.contains(":");
        return hasPort ? authority : authority + ":" + ("https".equals(scheme) ? 443 : 80);
    }
}
