package dev.labdesk.worker.page;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless Chromium driven through Debian's chromedriver. Both paths are given
 * explicitly, so Selenium Manager never runs and nothing is downloaded.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final int WIDTH = 1280, HEIGHT = 900;

    private Chromium() {}

    /** Skips the calling test when the browser is missing on a developer machine; fails it on CI. */
    static void requireInstalled() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) return;
        var message = "headless browser test needs " + BROWSER + " and " + DRIVER
                + " (Debian: apt-get install -y chromium chromium-driver; .ci/run installs them)";
        if (System.getenv("CI") != null) fail(message + " — CI is set, so this is a failure, not a skip");
        Assumptions.abort(message);
    }

    static ChromeDriver start(Path profileDir) {
        return start(profileDir, false);
    }

    /**
     * With {@code networkLog}, the DevTools network events are kept for {@link NetworkLog}: how a test
     * sees the status of a request the page itself may not read (another origin's form post, a refused upgrade).
     */
    static ChromeDriver start(Path profileDir, boolean networkLog) {
        // With the driver executable and the browser binary both given, Selenium Manager (which would
        // look for drivers and browsers online) is never started.
        var options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--window-size=" + WIDTH + "," + HEIGHT, "--lang=en-GB",
                "--user-data-dir=" + profileDir.toAbsolutePath());
        if (networkLog) options.setCapability("goog:loggingPrefs", Map.of("performance", "ALL"));
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        var driver = new ChromeDriver(service, options);
        // --window-size sizes the window, not the page: pin the viewport so screenshots are 1280×900.
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
        return driver;
    }

    /**
     * Saves a screenshot when {@code -Dlabdesk.screenshots=DIR} is given (how docs/screenshots is made);
     * otherwise does nothing, so ordinary test runs write nothing outside their temp dirs.
     */
    static void screenshot(ChromeDriver driver, String name) {
        Optional.ofNullable(System.getProperty("labdesk.screenshots")).filter(s -> !s.isBlank()).ifPresent(dir -> {
            try {
                var target = Path.of(dir).resolve(name + ".png");
                Files.createDirectories(target.getParent());
                Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
