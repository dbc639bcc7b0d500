package dev.labdesk.worker.page;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * The page tests' set-up, as {@code @RegisterExtension static final HeadlessBrowser browser}: one
 * headless Chromium for the class (skipped where it is missing, failed on CI) in a profile of its
 * own that goes afterwards; each test starts as a new visitor, without cookies, and the worker it
 * starts through {@link #start} is closed after it.
 */
final class HeadlessBrowser implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final boolean networkLog;
    private Path profile;
    private ChromeDriver driver;
    private Worker worker;

    HeadlessBrowser() {
        this(false);
    }

    private HeadlessBrowser(boolean networkLog) {
        this.networkLog = networkLog;
    }

    /** A browser that keeps its DevTools network events for {@link NetworkLog}. */
    static HeadlessBrowser withNetworkLog() {
        return new HeadlessBrowser(true);
    }

    ChromeDriver driver() {
        if (driver == null) throw new IllegalStateException("register the browser with @RegisterExtension on a static field");
        return driver;
    }

    /** Starts a worker for this test; it is closed after the test. */
    Worker start(WorkerConfig config) {
        try {
            worker = new Worker(config).start();
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Chromium.requireInstalled();
        profile = Files.createTempDirectory("labdesk-chromium-");
        driver = Chromium.start(profile, networkLog);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (worker != null) worker.close();
        worker = null;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (driver != null) driver.quit();
        driver = null;
        if (profile == null) return;
        try (var files = Files.walk(profile)) {
            for (var p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
