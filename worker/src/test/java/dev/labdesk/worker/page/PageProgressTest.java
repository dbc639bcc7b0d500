package dev.labdesk.worker.page;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.LargeTables;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large table uploaded through the page in real headless Chromium: while the real agent profiles
 * it, the page shows the agent's step above the log with a {@code <progress>} part-way and the run's
 * percent, from the worker's {@code progress} events; the bar is gone once the run has finished.
 */
class PageProgressTest {
    /** Enough rows for a profile of many seconds on two shared cores. */
    static final int ROWS = 2_000_000; // a run of a few seconds even on a quiet machine, so the bar is there to be seen

    @RegisterExtension
    static final HeadlessBrowser browser = new HeadlessBrowser();
    private final ChromeDriver driver = browser.driver();

    @TempDir Path dataDir;
    @TempDir Path dataset;
    private Worker worker;

    @BeforeEach
    void startWorker() {
        worker = browser.start(WorkerConfig.local(dataDir));
    }

    @Test
    void theProgressBarShowsTheAgentsStepWhileItProfilesAndGoesWhenTheRunEnds() throws Exception {
        var csv = LargeTables.plateCsv(dataset.resolve("growth.csv"), ROWS);
        driver.get(worker.baseUrl() + "/");
        await(15).until(d -> !"checking".equals(driver.executeScript("return document.body.dataset.auth")));
        driver.findElement(By.id("file-input")).sendKeys(csv.toString());
        driver.findElement(By.id("name")).sendKeys("Growth curves, 384-well plates");
        driver.findElement(By.id("description")).sendKeys("OD600 every minute for a year of runs");
        await(15).until(ExpectedConditions.elementToBeClickable(By.id("upload-button")));
        driver.findElement(By.id("upload-button")).click();

        // a stage of the profile after the first, with the bar part-way: the worker's events on the page
        await(240).until(d -> driver.findElement(By.id("analysis-progress")).isDisplayed()
                && text("analysis-step").startsWith("Profiling growth.csv (1 of 1 table file): ") && value() > 0.15 && value() < 1);
        assertThat(text("analysis-step")).isIn("Profiling growth.csv (1 of 1 table file): recognising column types",
                "Profiling growth.csv (1 of 1 table file): computing column statistics",
                "Profiling growth.csv (1 of 1 table file): looking for duplicate rows and correlations");
        assertThat(text("analysis-count")).matches("\\d{1,2} %");
        assertThat(driver.findElement(By.id("analysis-bar")).getTagName()).isEqualTo("progress");
        Chromium.screenshot(driver, "progress-page");

        await(300).until(d -> "succeeded".equals(driver.findElement(By.id("status-chips")).getDomAttribute("data-status")));
        assertThat(driver.findElement(By.id("analysis-progress")).isDisplayed()).isFalse();
    }

    private double value() {
        return ((Number) driver.executeScript("return document.getElementById('analysis-bar').value")).doubleValue();
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private WebDriverWait await(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }
}
