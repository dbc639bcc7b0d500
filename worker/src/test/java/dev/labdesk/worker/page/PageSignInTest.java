package dev.labdesk.worker.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's sign-in in real headless Chromium against a worker that wants a key: the sign-in link
 * the worker logs, the form, a wrong key, signing out, and a cookie that is gone mid-way (the page
 * asks again and carries on with what the user was doing).
 */
class PageSignInTest {
    private static final String ADA_KEY = "ada-key-0123456789abcdef";

    @RegisterExtension
    static final HeadlessBrowser browser = new HeadlessBrowser();
    private final ChromeDriver driver = browser.driver();

    @TempDir Path dataDir;
    @TempDir Path dataset;
    private Worker worker;
    private PageDriver page;

    @Test
    void theSignInLinkEndsOnThePageSignedInWithAnHttpOnlyCookieThatCarriesTheUploadAndTheLiveLog() throws Exception {
        startWorker(AuthSettings.token());
        var token = Files.readString(dataDir.resolve("token")).strip();

        page.open("/?token=" + token);

        // The key left the address at once; only the cookie remembers it, and no script can read that.
        assertThat(driver.getCurrentUrl()).isEqualTo(worker.baseUrl() + "/");
        assertThat(page.authState()).isEqualTo("signed-in");
        assertThat(page.text("account")).contains("signed in as local");
        var cookie = page.sessionCookie();
        assertThat(cookie).as("session cookie").isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getValue()).doesNotContain(token);
        assertThat((String) driver.executeScript("return document.cookie")).doesNotContain(PageDriver.COOKIE);
        assertThat(page.shown("signin")).isFalse();

        var csv = write("growth.csv", "well,od600\nA1,0.12\nA2,0.15\nB1,0.31\n");
        page.fillUpload("Signed-in upload", csv.toString());
        page.clickUpload();
        page.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("run")));
        assertThat(page.awaitRunEnd()).isEqualTo("succeeded");
        // The agent's own lines came over EventSource, which has no way to send a key: the cookie carried it.
        assertThat(page.agentLogLines()).isNotEmpty();
        page.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("report")));
        assertThat(page.text("report")).contains("growth.csv");

        var sessions = sessionsAs(token);
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).path("owner").asText()).isEqualTo("local");
        assertThat(sessions.get(0).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void withoutACookieThePageAsksForTheKeyRefusesAWrongOneAndSignsInWithTheRightOne() throws Exception {
        startWorker(AuthSettings.token());
        var token = Files.readString(dataDir.resolve("token")).strip();

        page.open("/");
        assertThat(page.authState()).isEqualTo("signed-out");
        page.await().until(d -> !page.text("health").startsWith("Checking"));
        assertThat(page.text("health")).isEqualTo("Worker · healthy");
        assertThat(page.shown("signin")).isTrue();
        assertThat(page.shown("upload-form")).isFalse();
        assertThat(page.shown("account")).isFalse();
        assertThat(driver.findElement(By.id("signin-key")).getDomAttribute("type")).isEqualTo("password");
        assertThat(page.text("signin-hint")).contains("token").contains("data directory");
        assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("signin-key");
        assertThat(driver.getTitle()).isEqualTo("Sign in — Labdesk");
        Chromium.screenshot(driver, "page-signin");

        page.signIn(token + "x");
        page.await().until(d -> page.shown("signin-error"));
        assertThat(page.text("signin-error")).isEqualTo("That key is not valid.");
        assertThat(page.attribute("signin-key", "aria-invalid")).isEqualTo("true");
        Chromium.screenshot(driver, "page-signin-wrong-key");
        assertThat(page.sessionCookie()).isNull();
        assertThat(page.shown("upload-form")).isFalse();

        page.signIn(token);
        page.await().until(d -> "signed-in".equals(page.authState()));
        assertThat(page.shown("signin")).isFalse();
        assertThat(page.shown("upload-form")).isTrue();
        assertThat(driver.findElement(By.cssSelector("#account .who")).getText()).isEqualTo("signed in as local");
        assertThat(page.text("sign-out")).isEqualTo("Sign out");
        assertThat(page.sessionCookie().isHttpOnly()).isTrue();
        assertThat(driver.findElement(By.id("signin-key")).getDomProperty("value")).as("the key is not kept in the page").isEmpty();
        assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("name");
        assertThat(driver.getTitle()).isEqualTo("Labdesk — upload a dataset");
        // Signed in, the footer shows the worker's dependencies, which /health keeps from anonymous callers.
        page.await().until(d -> page.text("health").contains("volumes:"));
        Chromium.screenshot(driver, "page-signed-in");

        driver.findElement(By.id("sign-out")).click();
        page.await().until(d -> "signed-out".equals(page.authState()));
        assertThat(page.shown("signin")).isTrue();
        assertThat(page.sessionCookie()).as("the worker cleared the cookie").isNull();
        assertThat(page.text("signin-error")).isEmpty();
    }

    @Test
    void aSignInLinkWithAWrongKeySaysSoAndTheFormSignsInAnotherPrincipal() {
        startWorker(AuthSettings.keys(List.of(ApiKey.plain("ada", ADA_KEY, false),
                ApiKey.plain("bob", "bob-key-0123456789abcdef", false))));

        page.open("/?token=not-a-key-of-this-worker");
        assertThat(driver.getCurrentUrl()).as("the mark is dropped once read").isEqualTo(worker.baseUrl() + "/");
        assertThat(page.authState()).isEqualTo("signed-out");
        assertThat(page.text("signin-error")).startsWith("That link's key is not valid");
        assertThat(page.sessionCookie()).isNull();

        page.signIn(ADA_KEY);
        page.await().until(d -> "signed-in".equals(page.authState()));
        assertThat(page.text("account-user")).isEqualTo("ada");
        // A reload stays signed in: the cookie, not the page, holds the sign-in.
        driver.navigate().refresh();
        page.await().until(d -> "signed-in".equals(page.authState()));
        assertThat(page.text("account-user")).isEqualTo("ada");
    }

    @Test
    void anUploadRefusedForAMissingCookieIsSentOnceSignedInAgain() throws Exception {
        startWorker(AuthSettings.token());
        var token = Files.readString(dataDir.resolve("token")).strip();
        page.open("/?token=" + token);
        var csv = write("plates.csv", "well,od600\nA1,0.12\nA2,0.15\n");
        page.fillUpload("After a new sign-in", csv.toString());

        page.dropCookies();
        page.clickUpload();
        page.await().until(d -> "signed-out".equals(page.authState()));
        assertThat(page.shown("signin")).isTrue();
        assertThat(sessionsAs(token)).as("the refused upload kept nothing").isEmpty();

        page.signIn(token);
        // The user's form and files were kept; the upload goes on without another click.
        page.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("run")));
        assertThat(page.text("run-name")).isEqualTo("After a new sign-in");
        assertThat(page.awaitRunEnd()).isEqualTo("succeeded");
        assertThat(page.agentLogLines()).isNotEmpty();
        assertThat(sessionsAs(token)).hasSize(1);
    }

    @Test
    void aRunInTheAddressIsShownAgainAfterSigningIn() throws Exception {
        startWorker(AuthSettings.token());
        var token = Files.readString(dataDir.resolve("token")).strip();
        page.open("/?token=" + token);
        page.fillUpload("Run to come back to", write("a.csv", "x,y\n1,2\n3,4\n").toString());
        page.clickUpload();
        assertThat(page.awaitRunEnd()).isEqualTo("succeeded");
        var address = driver.getCurrentUrl();
        assertThat(address).contains("#session=");
        var lines = page.agentLogLines().size();

        page.dropCookies();
        driver.navigate().refresh();
        page.await().until(d -> "signed-out".equals(page.authState()));
        assertThat(page.shown("run")).isFalse();

        page.signIn(token);
        page.await().until(d -> "succeeded".equals(page.attribute("status-chips", "data-status"))
                && page.shown("report"));
        assertThat(driver.getCurrentUrl()).isEqualTo(address);
        assertThat(page.text("run-name")).isEqualTo("Run to come back to");
        assertThat(page.agentLogLines()).hasSize(lines);
    }

    // --- helpers -------------------------------------------------------------------------------

    private void startWorker(AuthSettings auth) {
        worker = browser.start(WorkerConfig.local(dataDir).withAuth(auth));
        page = new PageDriver(driver, worker.baseUrl());
    }

    /** The worker's own list of sessions, asked with the key (not through the browser). */
    private List<JsonNode> sessionsAs(String key) throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            var list = new ObjectMapper().readTree(response.body());
            var out = new java.util.ArrayList<JsonNode>();
            list.forEach(out::add);
            return out;
        }
    }

    private Path write(String relative, String content) throws IOException {
        var path = dataset.resolve(relative);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, content);
    }
}
