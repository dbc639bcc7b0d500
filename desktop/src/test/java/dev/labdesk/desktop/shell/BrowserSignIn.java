package dev.labdesk.desktop.shell;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What a browser does with the "Open in browser" URL, done by a real HTTP client that keeps
 * cookies: the first answer (a redirect that sets the session cookie), then {@code /auth/me} with
 * that cookie and no key.
 */
record BrowserSignIn(int status, String location, boolean cookieSet, int meStatus, String me) {
    static BrowserSignIn follow(URI url) throws Exception {
        try (var http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build()) {
            var first = http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.discarding());
            var cookie = first.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("labdesk_session=") && c.contains("HttpOnly"));
            var me = http.send(HttpRequest.newBuilder(url.resolve("/auth/me")).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new BrowserSignIn(first.statusCode(), first.headers().firstValue("Location").orElse(""), cookie, me.statusCode(), me.body());
        }
    }
}
