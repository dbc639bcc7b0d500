package dev.labdesk.worker.page;

import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The worker's page in a browser, as the sign-in tests use it: open, sign in, read what it shows. */
final class PageDriver {
    static final String COOKIE = "labdesk_session";
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

    final ChromeDriver driver;
    final URI worker;

    PageDriver(ChromeDriver driver, URI worker) {
        this.driver = driver;
        this.worker = worker;
    }

    /** Opens a path of the worker and waits until the page knows whether it is signed in. */
    void open(String path) {
        driver.get(worker + path);
        await().until(d -> !"checking".equals(authState()));
    }

    /** {@code signed-in}, {@code signed-out}, {@code open} (a worker without keys) or {@code checking}. */
    String authState() {
        return (String) driver.executeScript("return document.body.dataset.auth");
    }

    void signIn(String key) {
        var field = driver.findElement(By.id("signin-key"));
        field.clear();
        field.sendKeys(key);
        driver.findElement(By.id("signin-button")).click();
    }

    /** Forgets every cookie of the profile (HttpOnly ones too), as a browser restart after expiry would. */
    void dropCookies() {
        driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
    }

    Cookie sessionCookie() {
        return driver.manage().getCookieNamed(COOKIE);
    }

    boolean shown(String id) {
        return driver.findElement(By.id(id)).isDisplayed();
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    void type(String id, String text) {
        driver.findElement(By.id(id)).sendKeys(text);
    }

    String attribute(String id, String name) {
        return driver.findElement(By.id(id)).getDomAttribute(name);
    }

    /** Fills in the two required fields and picks the files; the upload button is then ready. */
    void fillUpload(String name, String... files) {
        driver.findElement(By.id("file-input")).sendKeys(String.join("\n", files));
        type("name", name);
        type("description", "Uploaded by the sign-in test");
        await().until(ExpectedConditions.elementToBeClickable(By.id("upload-button")));
    }

    void clickUpload() {
        driver.findElement(By.id("upload-button")).click();
    }

    /** Waits for the run on the page to finish and returns its final status. */
    String awaitRunEnd() {
        new WebDriverWait(driver, RUN_TIMEOUT).until(d -> List.of("succeeded", "failed", "cancelled")
                .contains(String.valueOf(attribute("status-chips", "data-status"))));
        return attribute("status-chips", "data-status");
    }

    /** The log lines the agent sent (not the page's own status lines). */
    List<String> agentLogLines() {
        return driver.findElements(By.cssSelector("#log .line:not(.sys)")).stream().map(WebElement::getText).toList();
    }

    WebDriverWait await() {
        return new WebDriverWait(driver, Duration.ofSeconds(15));
    }
}
