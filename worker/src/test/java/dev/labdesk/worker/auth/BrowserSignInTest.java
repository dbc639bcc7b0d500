package dev.labdesk.worker.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.labdesk.worker.auth.AuthTestWorkers.ADA_KEY;
import static dev.labdesk.worker.auth.AuthTestWorkers.call;
import static dev.labdesk.worker.auth.AuthTestWorkers.get;
import static org.assertj.core.api.Assertions.assertThat;

/** The page's sign-in over real HTTP: a key in the URL or the form becomes a cookie that stands in for it. */
class BrowserSignInTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    @TempDir Path dataDir;

    @Test
    void aKeyInTheUrlBecomesAStrictHttpOnlyCookieAndLeavesTheUrl() throws Exception {
        try (var worker = AuthTestWorkers.start(dataDir, AuthTestWorkers.adaAndBob())) {
            var answer = call(get(worker, "/?token=" + ADA_KEY + "&session=abc").build());
            assertThat(answer.code()).isEqualTo(303);
            assertThat(answer.headers().get("Location")).isEqualTo("/?session=abc");
            var cookie = answer.headers().get("Set-Cookie");
            assertThat(cookie).startsWith(SessionCookies.NAME + "=").contains("HttpOnly", "SameSite=Strict", "Path=/").doesNotContain("Secure")
                    .doesNotContain(ADA_KEY);
            var value = cookieValue(cookie);

            var me = call(get(worker, "/auth/me").header("Cookie", SessionCookies.NAME + "=" + value).build());
            assertThat(me.code()).isEqualTo(200);
            assertThat(JSON.readTree(me.body()).path("user_id").asText()).isEqualTo("ada");
            assertThat(call(get(worker, "/sessions").header("Cookie", SessionCookies.NAME + "=" + value).build()).code()).isEqualTo(200);

            var tampered = value.replaceFirst("^[^.]+", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("bob".getBytes()));
            assertThat(call(get(worker, "/auth/me").header("Cookie", SessionCookies.NAME + "=" + tampered).build()).code()).isEqualTo(401);

            var bad = call(get(worker, "/?token=wrong-key-0123456789").build());
            assertThat(bad.code()).isEqualTo(303);
            assertThat(bad.headers().get("Location")).isEqualTo("/#signin-failed");
            assertThat(bad.headers().get("Set-Cookie")).isNull();
        }
    }

    @Test
    void overHttpsBehindAProxyTheCookieIsSecure() throws Exception {
        try (var worker = AuthTestWorkers.start(dataDir, AuthTestWorkers.adaAndBob())) {
            var answer = call(get(worker, "/?token=" + ADA_KEY).header("X-Forwarded-Proto", "https").build());
            assertThat(answer.headers().get("Set-Cookie")).contains("; Secure");
        }
    }

    @Test
    void theFormSignsInAndOutAndAWrongKeyIsRefused() throws Exception {
        try (var worker = AuthTestWorkers.start(dataDir, AuthTestWorkers.adaAndBob())) {
            var wrong = call(get(worker, "/auth/login").post(RequestBody.create("{\"token\":\"nope-nope-nope-nope\"}", JSON_TYPE)).build());
            assertThat(wrong.code()).isEqualTo(401);
            assertThat(wrong.headers().get("Set-Cookie")).isNull();
            var missing = call(get(worker, "/auth/login").post(RequestBody.create("{}", JSON_TYPE)).build());
            assertThat(missing.code()).isEqualTo(422);
            assertThat(JSON.readTree(missing.body()).path("errors").get(0).path("field").asText()).isEqualTo("token");

            var ok = call(get(worker, "/auth/login").post(RequestBody.create("{\"token\":\"" + ADA_KEY + "\"}", JSON_TYPE)).build());
            assertThat(ok.code()).isEqualTo(204);
            var value = cookieValue(ok.headers().get("Set-Cookie"));
            assertThat(call(get(worker, "/auth/me").header("Cookie", SessionCookies.NAME + "=" + value).build()).code()).isEqualTo(200);

            var out = call(get(worker, "/auth/logout").post(RequestBody.create(new byte[0])).build());
            assertThat(out.code()).isEqualTo(204);
            assertThat(out.headers().get("Set-Cookie")).startsWith(SessionCookies.NAME + "=;").contains("Max-Age=0");
        }
    }

    @Test
    void aCookieEndsWithTheKeyItWasMadeFrom() throws Exception {
        var secret = Optional.of("shared-cookie-secret-0123456789");
        var before = new AuthSettings(AuthSettings.Mode.KEYS, List.of(ApiKey.plain("ada", ADA_KEY, false)), java.util.Set.of(), List.of(), secret);
        String value;
        try (var worker = AuthTestWorkers.start(dataDir, before)) {
            value = cookieValue(call(get(worker, "/?token=" + ADA_KEY).build()).headers().get("Set-Cookie"));
            assertThat(call(get(worker, "/auth/me").header("Cookie", SessionCookies.NAME + "=" + value).build()).code()).isEqualTo(200);
        }
        // another instance with the same secret reads it; one where ada's key was rotated does not
        try (var same = AuthTestWorkers.start(dataDir, before)) {
            assertThat(call(get(same, "/auth/me").header("Cookie", SessionCookies.NAME + "=" + value).build()).code()).isEqualTo(200);
        }
        var rotated = new AuthSettings(AuthSettings.Mode.KEYS, List.of(ApiKey.plain("ada", "ada-new-key-0123456789", false)), java.util.Set.of(), List.of(), secret);
        try (Worker worker = new Worker(WorkerConfig.local(dataDir).withAuth(rotated)).start()) {
            assertThat(call(get(worker, "/auth/me").header("Cookie", SessionCookies.NAME + "=" + value).build()).code()).isEqualTo(401);
        }
    }

    private static String cookieValue(String setCookie) {
        var pair = setCookie.split(";", 2)[0];
        return pair.substring(pair.indexOf('=') + 1);
    }
}
