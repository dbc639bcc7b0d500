package dev.labdesk.worker.page;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.analysis.figures.FigureFixture;
import dev.labdesk.worker.testing.TestPrincipals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report's figures in real headless Chromium against a worker that wants a key: signed in by the
 * page's cookie, every figure of a real agent's report loads through the owner-checked route and is drawn.
 */
class PageFiguresTest {
    @RegisterExtension
    static final HeadlessBrowser browser = new HeadlessBrowser();
    private final ChromeDriver driver = browser.driver();

    @TempDir Path dataDir;
    @TempDir Path dataset;
    private Worker worker;

    @Test
    void theReportShowsEveryFigureLoadedWithThePagesCookie() throws Exception {
        worker = browser.start(WorkerConfig.local(dataDir).withAuth(TestPrincipals.auth()));
        var page = new PageDriver(driver, worker.baseUrl());
        page.open("/");
        page.signIn(TestPrincipals.ADA);
        page.await().until(d -> "signed-in".equals(page.authState()));
        var csv = Files.writeString(dataset.resolve(FigureFixture.NAME), FigureFixture.csv());
        page.fillUpload("Growth with figures", csv.toString());
        page.clickUpload();
        assertThat(page.awaitRunEnd()).isEqualTo("succeeded");
        page.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("report")));

        List<WebElement> images = driver.findElements(By.cssSelector("#report figure img"));
        assertThat(images).hasSizeGreaterThanOrEqualTo(8);
        for (var img : images) {
            // lazy images load once scrolled to
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", img);
            page.await().until(d -> (Boolean) driver.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img));
            assertThat(img.getDomProperty("src")).matches(".*/sessions/[0-9a-f-]+/report/figures/[a-z0-9-]+\\.png");
            assertThat(img.getDomAttribute("alt")).isNotBlank();
            assertThat(((Number) driver.executeScript("return arguments[0].getBoundingClientRect().width", img)).doubleValue())
                    .as("drawn no wider than the chart, and not squashed").isBetween(300.0, 1000.0);
        }
        assertThat(driver.findElements(By.cssSelector("#report .figure-missing"))).isEmpty();
        driver.executeScript("document.querySelector('#report figure').scrollIntoView({block: 'start'})");
        Chromium.screenshot(driver, "report-figures-page");
        driver.executeScript("const f = document.querySelectorAll('#report figure'); f[f.length - 3].scrollIntoView({block: 'start'})");
        Chromium.screenshot(driver, "report-figures-page-columns");
    }
}
