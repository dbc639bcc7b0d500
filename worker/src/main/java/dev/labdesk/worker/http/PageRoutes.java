package dev.labdesk.worker.http;

import io.javalin.http.Handler;
import io.javalin.config.RoutesConfig;

import dev.labdesk.model.Sha256;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The browser page at {@code /} and its three assets, read from the classpath once at construction
 * (a few tens of kilobytes) so a request is a map lookup and a byte copy, and a missing file fails
 * the worker's start instead of a user's page load.
 *
 * <p>Asset URLs carry no fingerprint, so everything is served {@code no-cache} with an ETag:
 * the browser revalidates each load and gets a bodiless 304 while the worker's build is unchanged,
 * and can never run an old app.js against a new index.html after an upgrade.
 */
public final class PageRoutes {
    private static final String RESOURCE_DIR = "/dev/labdesk/worker/page/";

    /**
     * Everything the page needs comes from this origin; inline script and style are refused, so a
     * file name or log line that somehow reached the DOM as markup still could not run.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private record Asset(byte[] body, String contentType, String etag) {}

    private final Asset index;
    private final Map<String, Asset> assets;

    public PageRoutes() {
        this.index = load("index.html", "text/html; charset=utf-8");
        this.assets = Map.of(
                "app.js", load("app.js", "text/javascript; charset=utf-8"),
                "app.css", load("app.css", "text/css; charset=utf-8"),
                "icon.svg", load("icon.svg", "image/svg+xml"));
    }

    public void register(RoutesConfig routes) {
        Handler page = ctx -> {
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.header("Referrer-Policy", "no-referrer");
            serve(ctx, index);
        };
        Handler asset = ctx -> {
            // Only the names in the map exist: nothing from the path ever reaches a resource lookup.
            var found = assets.get(ctx.pathParam("name"));
            if (found == null) throw ProblemException.notFound("no asset named '" + ctx.pathParam("name") + "'");
            serve(ctx, found);
        };
        // HEAD gets the same headers (Jetty leaves the body out); Javalin's own HEAD answer has none of them.
        routes.get("/", page);
        routes.head("/", page);
        routes.get("/assets/{name}", asset);
        routes.head("/assets/{name}", asset);
    }

    private static void serve(Context ctx, Asset asset) {
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        ctx.header("X-Content-Type-Options", "nosniff");
        if (matches(ctx.header("If-None-Match"), asset.etag())) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(asset.contentType());
        // No Content-Length of our own: Javalin may gzip the body for clients that accept it.
        ctx.result(asset.body());
    }

    /** RFC 9110 If-None-Match: {@code *} or a comma-separated list of (possibly weak) tags. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::strip)
                .map(PageRoutes::opaque)
                .anyMatch(tag -> tag.equals("*") || tag.equals(opaque(etag)));
    }

    /** If-None-Match compares weakly: {@code W/"x"} and {@code "x"} match. */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static Asset load(String name, String contentType) {
        try (var in = PageRoutes.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) throw new IllegalStateException("page resource missing from the worker jar: " + RESOURCE_DIR + name);
            var body = in.readAllBytes();
            var digest = Sha256.of(body);
            // Weak: Javalin gzips for clients that accept it, and a strong tag would promise identical bytes.
            return new Asset(body, contentType, "W/\"" + Sha256.hexPrefix(digest, 16) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
