package dev.labdesk.worker.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.auth.AuthSettings;
import dev.labdesk.worker.testing.DataDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page from another origin in the same browser tries to drive the worker: a cross-site form POST
 * to {@code /upload} and a WebSocket to {@code /chat/local}. Both must be refused, and they must be
 * refused while the browser holds the signed-in cookie: Chromium counts 127.0.0.1:A and 127.0.0.1:B
 * as the same site (ports don't make a site), so SameSite=Strict still sends the cookie with both
 * requests, and only the worker's Origin check stands between that page and the user's worker.
 */
class CrossOriginPageTest {
    @RegisterExtension
    static final HeadlessBrowser browser = HeadlessBrowser.withNetworkLog();
    private static NetworkLog network;
    private final ChromeDriver driver = browser.driver();

    @TempDir Path dataDir;
    private Worker worker;
    private String token;
    private PageDriver page;
    private HttpServer otherSite;
    private HttpServer witness;
    /** The Cookie header of each request the other site's server got (null when none). */
    private final List<String> cookiesSeenByOtherSite = new CopyOnWriteArrayList<>();
    /** The same for a third port the other page opens a WebSocket to. */
    private final List<String> cookiesSeenByWitness = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void networkLog() {
        network = new NetworkLog(browser.driver());
    }

    @BeforeEach
    void start() throws IOException {
        worker = browser.start(WorkerConfig.local(dataDir).withAuth(AuthSettings.token()));
        token = Files.readString(dataDir.resolve("token")).strip();
        page = new PageDriver(driver, worker.baseUrl());
        otherSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otherSite.createContext("/", exchange -> {
            cookiesSeenByOtherSite.add(exchange.getRequestHeaders().getFirst("Cookie"));
            var body = (exchange.getRequestURI().getPath().equals("/sandboxed") ? sandboxedPage() : attackPage())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        otherSite.start();
        witness = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        witness.createContext("/", exchange -> {
            cookiesSeenByWitness.add(exchange.getRequestHeaders().getFirst("Cookie"));
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        witness.start();
    }

    @AfterEach
    void stop() {
        if (otherSite != null) otherSite.stop(0);
        if (witness != null) witness.stop(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anotherOriginsPageCannotUploadOrOpenTheChatEvenWhileTheBrowserIsSignedIn() throws Exception {
        page.open("/?token=" + token);
        assertThat(page.authState()).isEqualTo("signed-in");
        network.clear();

        driver.get(otherSiteUrl());
        // The premise: the browser hands the worker's cookie to a server on another port of the same host.
        assertThat(cookiesSeenByOtherSite).anyMatch(c -> c != null && c.contains(PageDriver.COOKIE + "="));

        // The other page's WebSocket to the chat is refused at the upgrade: it never opens.
        page.await().until(d -> wsEvents().stream().anyMatch(e -> e.startsWith("close")));
        assertThat(wsEvents()).containsExactly("error", "close 1006");
        assertThat(webSocketFailure("ws://127.0.0.1:" + worker.baseUrl().getPort() + "/chat/local"))
                .isEqualTo("Error during WebSocket handshake: Unexpected response code: 403");
        // DevTools doesn't list a handshake's cookies: a witness on a third port shows this page's sockets carry it.
        page.await().until(d -> !cookiesSeenByWitness.isEmpty());
        assertThat(cookiesSeenByWitness).anyMatch(c -> c != null && c.contains(PageDriver.COOKIE + "="));

        // Its form posts a real multipart upload to the worker; the browser navigates to the worker's answer.
        driver.findElement(By.id("send")).click();
        page.await().until(d -> driver.getCurrentUrl().equals(worker.baseUrl() + "/upload"));
        assertThat(driver.findElement(By.tagName("body")).getText()).contains("\"status\":403");
        var post = requestTo(worker.baseUrl() + "/upload", "POST");
        assertThat(post.path("headers").toString()).as("the refused POST carried the cookie")
                .contains(PageDriver.COOKIE + "=");
        assertThat(statusOf(post.path("requestId").asText())).isEqualTo(403);

        // Nothing of it reached the worker's store.
        assertThat(DataDirs.volumeContents(dataDir)).isEmpty();
        assertThat(sessionsAsOwner()).isEmpty();

        // The same cookie from the worker's own page opens the same WebSocket: the refusal was the origin's.
        page.open("/");
        assertThat(page.authState()).isEqualTo("signed-in");
        driver.executeScript("""
                window.ownEvents = [];
                const ws = new WebSocket(arguments[0]);
                ws.onopen = () => { window.ownEvents.push('open'); ws.close(); };
                ws.onerror = () => window.ownEvents.push('error');
                """, "ws://127.0.0.1:" + worker.baseUrl().getPort() + "/chat/local");
        page.await().until(d -> !((List<?>) driver.executeScript("return window.ownEvents")).isEmpty());
        assertThat((List<Object>) driver.executeScript("return window.ownEvents")).containsExactly("open");
    }

    @Test
    void anotherOriginsPageIsRefusedWithoutACookieToo() throws Exception {
        driver.get(otherSiteUrl());
        page.await().until(d -> wsEvents().stream().anyMatch(e -> e.startsWith("close")));
        assertThat(wsEvents()).doesNotContain("open");

        driver.findElement(By.id("send")).click();
        page.await().until(d -> driver.getCurrentUrl().equals(worker.baseUrl() + "/upload"));
        assertThat(driver.findElement(By.tagName("body")).getText()).containsAnyOf("\"status\":401", "\"status\":403");
        assertThat(DataDirs.volumeContents(dataDir)).isEmpty();
        assertThat(sessionsAsOwner()).isEmpty();
    }

    @Test
    void aSandboxedFrameWhoseOriginIsNullCannotUploadEither() throws Exception {
        page.open("/?token=" + token);
        driver.get(otherSiteUrl() + "sandboxed");
        driver.switchTo().frame("sandboxed");
        try {
            driver.findElement(By.id("send")).click();
            // the frame navigates to the worker's answer: the body found before that goes stale
            page.await().ignoring(StaleElementReferenceException.class)
                    .until(d -> driver.findElement(By.tagName("body")).getText().contains("status"));
            // The frame's requests are not in the top page's network log: the worker's answer, shown in the frame, is.
            assertThat(driver.findElement(By.tagName("body")).getText()).contains("\"status\":403");
        } finally {
            driver.switchTo().defaultContent();
        }
        assertThat(DataDirs.volumeContents(dataDir)).isEmpty();
        assertThat(sessionsAsOwner()).isEmpty();
    }

    // --- the other site and what the browser did ----------------------------------------------------

    private String otherSiteUrl() {
        return "http://127.0.0.1:" + otherSite.getAddress().getPort() + "/";
    }

    /** A page any site could serve: a ready-to-send upload form and a WebSocket opened on load. */
    private String attackPage() {
        var workerUrl = worker.baseUrl().toString();
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>Another site</title></head><body>
                <form id="upload" method="POST" action="%s/upload" enctype="multipart/form-data">
                  <input name="name" value="Planted dataset">
                  <input name="description" value="Sent by a page on another origin">
                  <input type="file" name="files" id="files">
                  <button id="send" type="submit">Send</button>
                </form>
                <script>
                  const dt = new DataTransfer();
                  dt.items.add(new File(['a,b\\n1,2\\n'], 'planted.csv', { type: 'text/csv' }));
                  document.getElementById('files').files = dt.files;
                  window.wsEvents = [];
                  const ws = new WebSocket('ws://127.0.0.1:%d/chat/local');
                  ws.onopen = () => wsEvents.push('open');
                  ws.onerror = () => wsEvents.push('error');
                  ws.onclose = (e) => wsEvents.push('close ' + e.code);
                  new WebSocket('ws://127.0.0.1:%d/witness');
                </script>
                </body></html>
                """.formatted(workerUrl, worker.baseUrl().getPort(), witness.getAddress().getPort());
    }

    /** A sandboxed frame has an opaque origin: the browser sends {@code Origin: null} with its form. */
    private String sandboxedPage() {
        var form = """
                <form method="POST" action="%s/upload" enctype="multipart/form-data">
                <input name="name" value="From nowhere"><input name="description" value="A null origin">
                <button id="send" type="submit">Send</button></form>
                """.formatted(worker.baseUrl()).replace("\"", "&quot;");
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>Sandboxed</title></head><body>
                <iframe name="sandboxed" id="sandboxed" sandbox="allow-forms" srcdoc="%s"></iframe>
                </body></html>
                """.formatted(form);
    }

    @SuppressWarnings("unchecked")
    private List<String> wsEvents() {
        return (List<String>) driver.executeScript("return window.wsEvents || []");
    }

    /** The browser's record of a request it sent (with the headers it really sent, cookies included). */
    private JsonNode requestTo(String url, String method) {
        var sent = network.of("Network.requestWillBeSent").stream()
                .filter(p -> p.path("request").path("url").asText().equals(url)
                        && p.path("request").path("method").asText().equals(method))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("the browser sent no " + method + " " + url));
        var id = sent.path("requestId").asText();
        return network.of("Network.requestWillBeSentExtraInfo").stream()
                .filter(p -> p.path("requestId").asText().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("no headers recorded for " + method + " " + url));
    }

    private int statusOf(String requestId) {
        return network.of("Network.responseReceivedExtraInfo").stream()
                .filter(p -> p.path("requestId").asText().equals(requestId))
                .map(p -> p.path("statusCode").asInt())
                .findFirst().orElseThrow(() -> new AssertionError("no answer recorded for request " + requestId));
    }

    /** Why Chromium failed the WebSocket to {@code url} (it names the refused upgrade's status code). */
    private String webSocketFailure(String url) {
        var id = network.of("Network.webSocketCreated").stream()
                .filter(p -> p.path("url").asText().equals(url))
                .map(p -> p.path("requestId").asText())
                .findFirst().orElseThrow(() -> new AssertionError("the page opened no WebSocket to " + url));
        return network.of("Network.webSocketFrameError").stream()
                .filter(p -> p.path("requestId").asText().equals(id))
                .map(p -> p.path("errorMessage").asText())
                .findFirst().orElseThrow(() -> new AssertionError("the WebSocket to " + url + " did not fail"));
    }

    /** The sessions the worker holds, asked with the key outside the browser. */
    private List<JsonNode> sessionsAsOwner() throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            var out = new java.util.ArrayList<JsonNode>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).forEach(out::add);
            return out;
        }
    }
}
