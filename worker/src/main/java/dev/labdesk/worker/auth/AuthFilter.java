package dev.labdesk.worker.auth;

import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.http.Problems;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * Runs before every route: works out who is calling ({@link Principal}) from a bearer key or the
 * page's session cookie, and answers 401 where a route needs someone and nobody is there.
 */
public final class AuthFilter {
    private final AuthSettings settings;
    private final Keyring keyring;
    private final SessionCookies cookies;
    private final Problems problems;

    public AuthFilter(AuthSettings settings, Keyring keyring, SessionCookies cookies, Problems problems) {
        this.settings = settings;
        this.keyring = keyring;
        this.cookies = cookies;
        this.problems = problems;
    }

    public void register(RoutesConfig routes) {
        routes.before(this::check);
        routes.wsBeforeUpgrade(ctx -> problems.guardUpgrade(ctx, () -> check(ctx)));
    }

    private void check(Context ctx) {
        var principal = identify(ctx);
        principal.ifPresent(p -> ctx.attribute(Principal.ATTRIBUTE, p));
        if (principal.isEmpty() && !open(ctx)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"labdesk\"");
            throw ProblemException.of(401, "Unauthorized", settings.mode() == AuthSettings.Mode.TOKEN
                    ? "send the worker's key as 'Authorization: Bearer <key>': it is in the file 'token' in the worker's data dir"
                    : "send your key as 'Authorization: Bearer <key>'");
        }
    }

    /** Routes anyone may call: the health check, the page and its assets, sign-in, the agents' log sink (run tokens). */
    static boolean open(Context ctx) {
        var path = ctx.path();
        return path.equals("/health") || path.equals("/") || path.startsWith("/assets/") || path.equals("/log")
                || path.equals("/auth/login") || path.equals("/auth/logout");
    }

    /** The caller, if any: a bearer key wins over the cookie (a client that sends one means it). */
    public Optional<Principal> identify(Context ctx) {
        if (settings.mode() == AuthSettings.Mode.NONE) return Optional.of(Principal.LOCAL);
        var header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) return keyring.principal(header.substring(7).strip());
        var cookie = ctx.cookie(SessionCookies.NAME);
        return cookie == null ? Optional.empty() : cookies.verify(cookie);
    }
}
