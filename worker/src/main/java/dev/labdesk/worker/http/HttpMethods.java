package dev.labdesk.worker.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.session.NullSessionCache;
import org.eclipse.jetty.session.NullSessionDataStore;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * HTTP's method rules as clients nobody here wrote expect them: {@code HEAD} runs the route's
 * {@code GET} (Jetty drops the body), so it answers the same status and headers; a method a path does
 * not have is 405 with {@code Allow}; every answer says it varies by {@code Accept-Encoding}, since
 * the same one may come compressed or not.
 */
public final class HttpMethods {
    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.HEAD, HandlerType.POST,
            HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE, HandlerType.OPTIONS);

    private HttpMethods() {}

    /** First of the route sets: the header every answer carries, whatever refuses it later. */
    public static void register(RoutesConfig routes) {
        routes.before(ctx -> ctx.res().addHeader("Vary", "Accept-Encoding"));
    }

    /** Adds a HEAD for every GET path without one; call once every route is registered. */
    public static void addHeads(InternalRouter router) {
        var all = router.allHttpHandlers();
        Set<String> heads = all.stream().filter(e -> e.endpoint.method == HandlerType.HEAD)
                .map(e -> e.endpoint.path).collect(Collectors.toSet());
        for (var parsed : List.copyOf(all)) {
            var get = parsed.endpoint;
            if (get.method == HandlerType.GET && !heads.contains(get.path))
                router.addHttpEndpoint(new Endpoint(HandlerType.HEAD, get.path, get.handler, Set.of()));
        }
    }

    /**
     * Javalin asks for a servlet session on every WebSocket upgrade (to copy its attributes); the
     * worker has no use for one, so none is remembered and no {@code JSESSIONID} cookie is sent.
     */
    public static void noServletSessions(ServletContextHandler handler) {
        var sessions = handler.getSessionHandler();
        if (sessions == null) return;
        sessions.setUsingCookies(false);
        var cache = new NullSessionCache(sessions);
        cache.setSessionDataStore(new NullSessionDataStore());
        sessions.setSessionCache(cache);
    }

    /** The methods {@code ctx}'s path answers, for {@code Allow}. */
    public static String allow(InternalRouter router, Context ctx) {
        var methods = new LinkedHashSet<String>();
        for (var method : METHODS)
            if (router.findFirstHttpHandlerEntry(method, ctx.path()) != null) methods.add(method.name());
        return String.join(", ", methods);
    }

    /** Whether this is a HEAD answered by a GET route: streaming routes answer with their headers alone. */
    public static boolean isHead(Context ctx) {
        return ctx.method() == HandlerType.HEAD;
    }
}
