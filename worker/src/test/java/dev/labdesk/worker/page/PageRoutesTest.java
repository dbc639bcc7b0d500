package dev.labdesk.worker.page;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The page and its assets over real HTTP: types, caching headers, revalidation, no path lookups. */
class PageRoutesTest {
    @TempDir Path dataDir;
    private Worker worker;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void indexIsHtmlWithAStrictPolicyAndRevalidates() throws Exception {
        var first = get("/", null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(contentType(first)).isEqualTo("text/html;charset=utf-8");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(first.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'").contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(first.body()).contains("<form id=\"upload-form\"").contains("/assets/app.js").contains("/assets/app.css");
        var etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("W/\"[0-9a-f]{32}\"");

        var again = get("/", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/", etag.substring(2)).statusCode()).as("weak comparison").isEqualTo(304);
        assertThat(get("/", "\"other\"").statusCode()).isEqualTo(200);

        var head = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(contentType(head)).isEqualTo("text/html;charset=utf-8");
        assertThat(head.headers().firstValue("ETag")).hasValue(etag);
    }

    @Test
    void assetsHaveTheirTypesAndUnknownNamesAreProblems() throws Exception {
        var js = get("/assets/app.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(contentType(js)).isEqualTo("text/javascript;charset=utf-8");
        assertThat(js.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(js.body()).contains("EventSource");
        assertThat(contentType(get("/assets/app.css", null))).isEqualTo("text/css;charset=utf-8");
        assertThat(contentType(get("/assets/icon.svg", null))).isEqualTo("image/svg+xml");
        var etag = js.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/assets/app.js", etag).statusCode()).isEqualTo(304);

        for (var missing : List.of("/assets/nope.js", "/assets/..%2Fapp.js", "/assets/index.html")) {
            var response = get(missing, null);
            assertThat(response.statusCode()).as(missing).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).as(missing).startsWith("application/problem+json");
        }
    }

    /** Jetty writes {@code text/html;charset=utf-8}; spacing and case are not significant. */
    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    private HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(worker.baseUrl() + path));
        if (ifNoneMatch != null) request.header("If-None-Match", ifNoneMatch);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
