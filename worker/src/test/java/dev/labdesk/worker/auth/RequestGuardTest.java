package dev.labdesk.worker.auth;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.testing.DataDirs;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.labdesk.worker.auth.AuthTestWorkers.ADA_KEY;
import static dev.labdesk.worker.auth.AuthTestWorkers.call;
import static dev.labdesk.worker.auth.AuthTestWorkers.get;
import static dev.labdesk.worker.auth.AuthTestWorkers.withKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a web page open in the user's browser can do to a worker on loopback: pose as it under
 * another host name, post to it, open its chat. Credentials are off here (LABDESK_AUTH=none), the
 * weakest case, so these answers come from the guard alone.
 */
class RequestGuardTest {
    @TempDir Path dataDir;

    @Test
    void aHostNameTheWorkerIsNotKnownByIsMisdirected() throws Exception {
        try (var worker = AuthTestWorkers.start(dataDir, AuthSettings.none().withAllowedHosts(Set.of("lab.example.org")))) {
            for (var host : List.of("evil.example", "rebind.attacker.test:" + worker.port(), "10.0.0.5"))
                assertThat(call(get(worker, "/sessions").header("Host", host).build()).code()).as(host).isEqualTo(421);
            for (var host : List.of("127.0.0.1:" + worker.port(), "localhost:" + worker.port(), "[::1]:" + worker.port(), "lab.example.org"))
                assertThat(call(get(worker, "/sessions").header("Host", host).build()).code()).as(host).isEqualTo(200);
            assertThat(upgrade(worker, "/chat/local", h -> h.header("Host", "evil.example")).get(10, TimeUnit.SECONDS)).isEqualTo(421);
        }
    }

    @Test
    void aPostFromAnotherOriginIsRefusedAndLeavesNothing() throws Exception {
        try (var worker = AuthTestWorkers.start(dataDir, AuthSettings.none())) {
            for (var origin : List.of("https://evil.example", "null", "http://127.0.0.1:1", "http://localhost:" + worker.port())) {
                var answer = call(get(worker, "/upload").header("Origin", origin).post(AuthTestWorkers.uploadForm()).build());
                assertThat(answer.code()).as(origin).isEqualTo(403);
                assertThat(answer.headers().get("Content-Type")).startsWith("application/problem+json");
            }
            assertThat(DataDirs.volumeContents(dataDir)).isEmpty();
            assertThat(worker.sessions().store().list(10)).isEmpty();
            var cancel = call(get(worker, "/sessions/00000000-0000-4000-8000-000000000000/cancel").header("Origin", "https://evil.example")
                    .post(RequestBody.create(new byte[0])).build());
            assertThat(cancel.code()).isEqualTo(403);

            var own = call(get(worker, "/upload").header("Origin", "http://127.0.0.1:" + worker.port()).post(AuthTestWorkers.uploadForm()).build());
            assertThat(own.code()).isEqualTo(202);
            assertThat(call(get(worker, "/upload").post(AuthTestWorkers.uploadForm()).build()).code()).as("no Origin: not a browser").isEqualTo(202);
        }
    }

    @Test
    void aWebSocketFromAnotherOriginIsRefusedBeforeTheUpgrade() throws Exception {
        try (var worker = AuthTestWorkers.start(dataDir, AuthSettings.none())) {
            assertThat(upgrade(worker, "/chat/local", b -> b.header("Origin", "https://evil.example")).get(10, TimeUnit.SECONDS)).isEqualTo(403);
            assertThat(upgrade(worker, "/chat/local", b -> b.header("Origin", "null")).get(10, TimeUnit.SECONDS)).isEqualTo(403);
            assertThat(upgrade(worker, "/chat/local", b -> b.header("Origin", "http://127.0.0.1:" + worker.port())).get(10, TimeUnit.SECONDS)).isEqualTo(101);
            // the refusal says why, as every 4xx does
            var refused = call(get(worker, "/chat/local").header("Origin", "https://evil.example").header("Connection", "Upgrade")
                    .header("Upgrade", "websocket").header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build());
            assertThat(refused.code()).isEqualTo(403);
            assertThat(refused.headers().get("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.body()).contains("may not change anything");
        }
    }

    @Test
    void jsonEndpointsTakeOnlyJson() throws Exception {
        try (var worker = AuthTestWorkers.start(dataDir, AuthSettings.none())) {
            var text = MediaType.get("text/plain");
            for (var path : List.of("/extract-profile", "/uploads")) {
                var answer = call(get(worker, path).post(RequestBody.create("{\"items\":[]}", text)).build());
                assertThat(answer.code()).as(path).isEqualTo(415);
                assertThat(answer.body()).contains("Content-Type");
            }
            var cancel = "/sessions/00000000-0000-4000-8000-000000000000/cancel";
            assertThat(call(get(worker, cancel).post(RequestBody.create("x=1", MediaType.get("application/x-www-form-urlencoded"))).build()).code()).isEqualTo(415);
            assertThat(call(get(worker, cancel).post(RequestBody.create(new byte[0])).build()).code()).as("no body, no type").isEqualTo(404);
            assertThat(call(get(worker, "/extract-profile").post(RequestBody.create("{\"items\":[]}", MediaType.get("application/json; charset=utf-8"))).build()).code())
                    .isNotEqualTo(415);
        }
    }

    @Test
    void noCorsHeadersUnlessAnOriginIsConfigured() throws Exception {
        try (var worker = AuthTestWorkers.start(dataDir, AuthTestWorkers.adaAndBob())) {
            var answer = call(withKey(get(worker, "/sessions"), ADA_KEY).header("Origin", "https://app.example").build());
            assertThat(answer.headers().names()).noneMatch(n -> n.toLowerCase().startsWith("access-control-"));
            var preflight = call(get(worker, "/uploads").method("OPTIONS", null).header("Origin", "https://app.example")
                    .header("Access-Control-Request-Method", "POST").build());
            assertThat(preflight.code()).isEqualTo(403);
        }
        var allowed = AuthTestWorkers.adaAndBob().withCorsOrigins(List.of("https://app.example"));
        try (var worker = AuthTestWorkers.start(dataDir, allowed)) {
            var preflight = call(get(worker, "/uploads").method("OPTIONS", null).header("Origin", "https://app.example")
                    .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "authorization, content-type").build());
            assertThat(preflight.code()).isEqualTo(204);
            assertThat(preflight.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
            assertThat(preflight.headers().get("Access-Control-Allow-Headers")).contains("Authorization", "Content-Type");
            var post = call(withKey(get(worker, "/upload"), ADA_KEY).header("Origin", "https://app.example").post(AuthTestWorkers.uploadForm()).build());
            assertThat(post.code()).isEqualTo(202);
            assertThat(post.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        }
    }

    /** The status the worker answers a WebSocket upgrade with (101 when it opens). */
    private static CompletableFuture<Integer> upgrade(Worker worker, String path, java.util.function.UnaryOperator<Request.Builder> headers) {
        var result = new CompletableFuture<Integer>();
        var request = headers.apply(new Request.Builder().url(worker.baseUrl().toString().replace("http", "ws") + path)).build();
        AuthTestWorkers.HTTP.newWebSocket(request, new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws, Response response) {
                result.complete(response.code());
                ws.close(1000, "done");
            }

            @Override
            public void onFailure(WebSocket ws, Throwable t, Response response) {
                if (response != null) result.complete(response.code());
                else result.completeExceptionally(t);
            }
        });
        return result;
    }
}
