package dev.labdesk.worker.auth;

import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.worker.http.ProblemException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signing in from a browser: {@code /?token=KEY} (the link the worker logs, the desktop's "Open in
 * browser") or the page's form ({@code POST /auth/login}) exchange a key for the session cookie,
 * so the page's fetches, uploads, EventSource and WebSocket carry no key of their own.
 */
public final class AuthRoutes {
    private final AuthSettings settings;
    private final Keyring keyring;
    private final SessionCookies cookies;
    private final ObjectMapper mapper;

    public AuthRoutes(AuthSettings settings, Keyring keyring, SessionCookies cookies, ObjectMapper mapper) {
        this.settings = settings;
        this.keyring = keyring;
        this.cookies = cookies;
        this.mapper = mapper;
    }

    public void register(RoutesConfig routes) {
        // before the page's own handler: a token in the URL is taken out of it at once
        routes.before("/", this::tokenInUrl);
        routes.post("/auth/login", this::login);
        routes.post("/auth/logout", ctx -> {
            ctx.header("Set-Cookie", cookie(ctx, "", 0));
            ctx.status(204);
        });
        routes.get("/auth/me", ctx -> {
            var p = Principal.of(ctx);
            var out = new LinkedHashMap<String, Object>();
            out.put("user_id", p.id());
            out.put("admin", p.admin());
            out.put("auth", settings.mode().name().toLowerCase(Locale.ROOT));
            ctx.header("Cache-Control", "no-store").json(out);
        });
    }

    private void tokenInUrl(Context ctx) {
        var token = ctx.queryParam("token");
        if (token == null || settings.mode() == AuthSettings.Mode.NONE && token.isEmpty()) return;
        var rest = new StringBuilder();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (e.getKey().equals("token")) continue;
            for (var v : e.getValue())
                rest.append(rest.isEmpty() ? "?" : "&").append(enc(e.getKey())).append('=').append(enc(v));
        }
        ctx.header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer");
        var key = settings.mode() == AuthSettings.Mode.NONE ? Optional.<ApiKey>empty() : keyring.find(token);
        if (key.isPresent()) {
            ctx.header("Set-Cookie", cookie(ctx, cookies.mint(key.get()), SessionCookies.LIFETIME.toSeconds()));
            ctx.redirect("/" + rest, HttpStatus.SEE_OTHER);
        } else {
            ctx.redirect("/" + rest + (settings.mode() == AuthSettings.Mode.NONE ? "" : "#signin-failed"), HttpStatus.SEE_OTHER);
        }
        ctx.skipRemainingHandlers();
    }

    private void login(Context ctx) throws IOException {
        if (settings.mode() == AuthSettings.Mode.NONE) {
            ctx.status(204);
            return;
        }
        String token = null;
        try {
            var body = mapper.readTree(ctx.bodyInputStream().readNBytes(4096));
            if (body != null && body.path("token").isTextual()) token = body.path("token").asText();
        } catch (IOException e) {
            // reported below
        }
        if (token == null) throw ProblemException.field("token", "send {\"token\": \"<your key>\"}");
        var key = keyring.find(token.strip());
        if (key.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"labdesk\", error=\"invalid_token\"");
            throw ProblemException.of(401, "Unauthorized", "that key is not one this worker accepts");
        }
        ctx.header("Set-Cookie", cookie(ctx, cookies.mint(key.get()), SessionCookies.LIFETIME.toSeconds())).status(204);
    }

    /** HttpOnly so no script reads it, SameSite=Strict so no other site's request carries it, Secure over https. */
    private static String cookie(Context ctx, String value, long maxAge) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return SessionCookies.NAME + "=" + value + "; Path=/; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
