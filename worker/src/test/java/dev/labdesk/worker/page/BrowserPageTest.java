package dev.labdesk.worker.page;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.DataDirs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page at {@code /} in real headless Chromium against a real worker: files and a nested folder
 * picked through the page's own inputs, the experiment form, the upload, the live log over
 * EventSource, the report — and the errors, both the page's own and the worker's.
 */
class BrowserPageTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

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
    void nestedFolderAndFilesUploadAndTheLiveLogEndsInAReport() throws Exception {
        var day1 = write("exp/plates/day1.csv", "well,od600,strain\nA1,0.12,wt\nA2,0.15,wt\nB1,,mut\nB2,0.31,mut\n");
        write("exp/plates/day 2 (é).tsv", "well\tod600\nA1\t0.20\nA2\t0.22\n");
        write("exp/meta/samples.json", "[{\"sample\":\"s1\",\"temp\":37.0},{\"sample\":\"s2\",\"temp\":30.5}]\n");
        var strains = write("loose/strains.csv", "strain,genotype\nwt,MG1655\nmut,ΔlacZ\n");
        var notes = write("loose/notes café.txt", "plate reader notes\n");

        open("/");
        Chromium.screenshot(driver, "browser-page-empty");
        driver.findElement(By.id("folder-input")).sendKeys(dataset.resolve("exp").toString());
        driver.findElement(By.id("file-input")).sendKeys(strains + "\n" + notes);

        await().until(d -> rowPaths().size() == 5);
        assertThat(rowPaths()).containsExactlyInAnyOrder("exp/plates/day1.csv", "exp/plates/day 2 (é).tsv",
                "exp/meta/samples.json", "strains.csv", "notes café.txt");
        assertThat(text("file-total")).startsWith("5 files · ");

        type("name", "Growth curves");
        type("description", "OD600 of a wild type and a ΔlacZ mutant, read every 30 min over two days");
        type("goals", "Compare growth rates");
        type("hypothesis", "The mutant grows slower on lactose");
        type("contact_email", "ada@example.org");
        type("tags", "growth, plate reader");
        type("parameters", "{\"temperature_c\": 37, \"medium\": \"LB\"}");
        await().until(ExpectedConditions.elementToBeClickable(By.id("upload-button")));
        driver.findElement(By.id("upload-button")).click();

        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("run")));
        await().until(d -> driver.findElements(By.cssSelector("#log .line")).size() >= 3);
        Chromium.screenshot(driver, "browser-page-live");
        new WebDriverWait(driver, RUN_TIMEOUT).until(d -> isFinal(attribute("status-chips", "data-status")));
        assertThat(attribute("status-chips", "data-status")).isEqualTo("succeeded");

        var logLines = driver.findElements(By.cssSelector("#log .line")).stream().map(WebElement::getText).toList();
        assertThat(logLines).anyMatch(l -> l.contains("status: running")).anyMatch(l -> l.contains("status: succeeded"));
        assertThat(driver.findElements(By.cssSelector("#log .line:not(.sys)"))).as("agent log lines").isNotEmpty();

        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("report")));
        var link = driver.findElement(By.id("report-link"));
        assertThat(link.isDisplayed()).isTrue();
        assertThat(link.getAttribute("href")).endsWith("/sessions/" + sessionIdFromVolume() + "/report");
        assertThat(text("headline")).isNotBlank();
        assertThat(driver.findElements(By.cssSelector("#report h2, #report h3"))).isNotEmpty();
        assertThat(text("report")).contains("day1");
        // The report's Markdown tables became tables.
        var cells = driver.findElements(By.cssSelector("#report td")).stream().map(WebElement::getText).toList();
        assertThat(cells).contains("exp/plates/day1.csv", "exp/plates/day 2 (é).tsv", "strains.csv");
        Chromium.screenshot(driver, "browser-page-finished");
        Chromium.screenshot(driver, "browser-page");
        driver.executeScript("document.querySelectorAll('#report h3')[1].scrollIntoView()");
        Chromium.screenshot(driver, "browser-page-report");

        // Stored under the relative paths the page sent, byte for byte, names untouched.
        var volume = onlyVolume();
        assertThat(Files.readAllBytes(volume.resolve("exp/plates/day1.csv"))).isEqualTo(Files.readAllBytes(day1));
        assertThat(volume.resolve("exp/plates/day 2 (é).tsv")).exists();
        assertThat(volume.resolve("exp/meta/samples.json")).exists();
        assertThat(volume.resolve("notes café.txt")).exists();
        assertThat(volume.resolve("strains.csv")).exists();

        // A reload keeps the run: the address names the session, and its stream replays from the start.
        assertThat(driver.getCurrentUrl()).endsWith("#session=" + sessionIdFromVolume());
        var linesBefore = driver.findElements(By.cssSelector("#log .line")).size();
        driver.navigate().refresh();
        new WebDriverWait(driver, RUN_TIMEOUT).until(d -> "succeeded".equals(attribute("status-chips", "data-status"))
                && driver.findElement(By.id("report")).isDisplayed());
        assertThat(text("run-name")).isEqualTo("Growth curves");
        assertThat(driver.findElements(By.cssSelector("#log .line"))).hasSize(linesBefore);
        assertThat(driver.findElement(By.id("upload-form")).isDisplayed()).isFalse();
        assertThat(driver.getTitle()).startsWith("succeeded · Growth curves");

        driver.findElement(By.id("new-upload")).click();
        assertThat(driver.findElement(By.id("upload-form")).isDisplayed()).isTrue();
        assertThat(driver.getCurrentUrl()).doesNotContain("#session=");
        assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("name");
    }

    @Test
    void markupInFileNamesLogLinesAndTheReportStaysText() {
        // File names, the log (which repeats them) and the report (which repeats the description too)
        // all come from outside the page: none of it may become an element or run.
        var markup = write("<img src=x onerror=window.__xss=1>.csv", "a,b\n1,2\n");
        open("/");
        driver.findElement(By.id("file-input")).sendKeys(markup.toString());
        await().until(d -> rowPaths().size() == 1);
        assertThat(driver.findElement(By.cssSelector(".file-row .file-name")).getText()).isEqualTo("<img src=x onerror=window.__xss=1>.csv");
        type("name", "<script>window.__xss=3</script>");
        type("description", "OD600 of <b>two</b> strains, see [notes](javascript:window.__xss=2)");
        await().until(ExpectedConditions.elementToBeClickable(By.id("upload-button"))).click();

        new WebDriverWait(driver, RUN_TIMEOUT).until(d -> driver.findElement(By.id("report")).isDisplayed());
        assertThat(text("run-name")).isEqualTo("<script>window.__xss=3</script>");
        assertThat(driver.findElements(By.cssSelector("#log .msg")).stream().map(WebElement::getText))
                .anyMatch(m -> m.contains("<img src=x onerror=window.__xss=1>.csv"));
        assertThat(text("report")).contains("OD600 of <b>two</b> strains").contains("<img src=x onerror=window.__xss=1>.csv");
        assertThat(driver.findElements(By.cssSelector("#report td")).stream().map(WebElement::getText))
                .contains("<img src=x onerror=window.__xss=1>.csv");
        assertThat(driver.findElements(By.cssSelector("main b, main script, main a[href^='javascript']"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("img:not(#report figure img)"))).as("only the logo and the report's figures are images").hasSize(1);
        assertThat(driver.findElements(By.cssSelector("#report figure img")).stream().map(i -> i.getDomAttribute("src")))
                .allMatch(src -> src.matches("/sessions/[0-9a-f-]+/report/figures/[a-z0-9-]+\\.png"));
        assertThat(driver.executeScript("return window.__xss === undefined")).isEqualTo(true);
        assertThat(onlyVolume().resolve("<img src=x onerror=window.__xss=1>.csv")).exists();
    }

    @Test
    void filesDroppedOnTheZoneJoinTheListAndRemovingOneUpdatesTheTotal() {
        open("/");
        // A real drop event carrying real File objects; Chromium builds the DataTransfer itself.
        driver.executeScript("""
                const zone = document.getElementById('drop-zone');
                const dt = new DataTransfer();
                dt.items.add(new File(['a,b\\n1,2\\n'], 'dropped é.csv'));
                dt.items.add(new File(['x'.repeat(2048)], 'second file.txt'));
                zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }));
                window.__dragging = zone.classList.contains('dragging');
                zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
                """);
        await().until(d -> rowPaths().size() == 2);
        assertThat(driver.executeScript("return window.__dragging")).as("highlighted while dragging").isEqualTo(true);
        assertThat(driver.findElement(By.id("drop-zone")).getDomAttribute("class")).doesNotContain("dragging");
        assertThat(rowPaths()).containsExactly("dropped é.csv", "second file.txt");
        assertThat(text("file-total")).as("8 + 2048 bytes, as the app and the report write sizes").isEqualTo("2 files · 2.0 KiB");

        driver.findElement(By.cssSelector(".file-row[data-path='second file.txt'] .icon-button")).click();
        assertThat(rowPaths()).containsExactly("dropped é.csv");
        assertThat(text("file-total")).isEqualTo("1 file · 8 B");
        driver.findElement(By.id("clear-files")).click();
        assertThat(rowPaths()).isEmpty();
        assertThat(driver.findElement(By.id("file-panel")).isDisplayed()).isFalse();
    }

    @Test
    void invalidFieldsAreShownInlineAndNothingIsSent() {
        write("exp/a.csv", "x\n1\n");
        write("results/summary.csv", "x\n1\n");
        open("/");
        driver.findElement(By.id("folder-input")).sendKeys(dataset.resolve("exp").toString());
        await().until(d -> rowPaths().size() == 1);

        type("name", "x");
        driver.findElement(By.id("name")).sendKeys(Keys.BACK_SPACE);
        type("description", "Some description");
        type("contact_email", "ada@example");
        type("tags", "growth, #bad tag, growth");
        type("parameters", "{temp: 37");
        driver.findElement(By.id("description")).click(); // leave the last field

        await().until(d -> !errorOf("parameters").isEmpty());
        assertThat(errorOf("name")).isEqualTo("Name is required");
        assertThat(errorOf("contact_email")).contains("must be an email address");
        assertThat(errorOf("tags")).contains("Tag '#bad tag': letters, digits").contains("Tag 'growth': duplicate tag 'growth'");
        assertThat(errorOf("parameters")).startsWith("Parameters must be valid JSON");
        assertThat(errorOf("description")).isEmpty();
        assertThat(attribute("name", "aria-invalid")).isEqualTo("true");
        assertThat(attribute("description", "aria-invalid")).isEqualTo("false");
        assertThat(driver.findElement(By.id("upload-button")).isEnabled()).isFalse();
        assertThat(text("upload-hint")).isEqualTo("To upload: fill in Name, fix Contact email, Tags, Parameters.");

        // A folder whose top level is the agent's reserved "results/" is refused on its row.
        driver.findElement(By.id("folder-input")).sendKeys(dataset.resolve("results").toString());
        await().until(d -> rowPaths().size() == 2);
        assertThat(rowError("results/summary.csv")).isEqualTo("Path 'results/' is reserved for the agent's report");
        Chromium.screenshot(driver, "browser-page-errors");

        // Enter in a field submits the form: it must only point at the errors, not send anything.
        driver.findElement(By.id("contact_email")).sendKeys(Keys.ENTER);
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("name");
        assertThat(driver.findElement(By.id("upload-progress")).isDisplayed()).isFalse();
        assertThat(volumes()).isEmpty();

        // Fixing everything enables the button.
        driver.findElement(By.cssSelector(".file-row[data-path='results/summary.csv'] .icon-button")).click();
        type("name", "Fixed");
        clear("contact_email");
        clear("tags");
        type("tags", "growth");
        clear("parameters");
        type("parameters", "{\"temp\": 37}");
        await().until(ExpectedConditions.elementToBeClickable(By.id("upload-button")));
        assertThat(errorOf("name")).isEmpty();
        assertThat(errorOf("parameters")).isEmpty();
        assertThat(text("upload-hint")).isEqualTo("Ready: 1 file will be uploaded.");
    }

    @Test
    void theWorkersFieldErrorsAreShownNextToTheirFields() {
        write("exp/a.csv", "x\n1\n");
        write("results/summary.csv", "x\n1\n");
        // The page's own checks are off, so the worker's answer is what the user sees.
        open("/?validate=server");
        driver.findElement(By.id("folder-input")).sendKeys(dataset.resolve("results").toString());
        await().until(d -> rowPaths().size() == 1);
        type("description", "Some description");
        type("contact_email", "not-an-email");
        driver.findElement(By.id("upload-button")).click();

        await().until(d -> !errorOf("name").isEmpty());
        assertThat(errorOf("name")).isEqualTo("Name is required");
        assertThat(errorOf("contact_email")).contains("must be an email address");
        assertThat(text("form-error")).startsWith("The worker refused the upload").endsWith("Nothing was kept.");
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("name");
        assertThat(volumes()).isEmpty();

        // Editing a field clears the worker's message for it; with the context right, the path is refused.
        type("name", "Server checks");
        assertThat(errorOf("name")).isEmpty();
        clear("contact_email");
        driver.findElement(By.id("upload-button")).click();
        await().until(d -> !driver.findElement(By.id("upload-progress")).isDisplayed()
                && errorOf("contact_email").isEmpty() && !rowError("results/summary.csv").isEmpty());
        assertThat(errorOf("name")).isEmpty();
        assertThat(rowError("results/summary.csv")).startsWith("Path ").contains("results/");
        assertThat(driver.findElement(By.cssSelector(".file-row[data-path='results/summary.csv']")).getAttribute("class"))
                .contains("invalid");
        assertThat(volumes()).isEmpty();
    }

    @Test
    void aRunningAnalysisCanBeCancelledFromThePage() throws Exception {
        // Big enough that the agent (a fresh JVM, then DuckDB) is still busy when the click lands.
        var rows = new StringBuilder("id,value,label\n");
        for (int i = 0; i < 200_000; i++) rows.append(i).append(',').append(i * 0.5).append(",row").append(i % 97).append('\n');
        var big = write("exp/big.csv", rows.toString());
        open("/");
        driver.findElement(By.id("file-input")).sendKeys(big.toString());
        type("name", "To be cancelled");
        type("description", "Cancelled from the page");
        await().until(ExpectedConditions.elementToBeClickable(By.id("upload-button"))).click();

        await().until(ExpectedConditions.elementToBeClickable(By.id("cancel-run"))).click();
        new WebDriverWait(driver, RUN_TIMEOUT).until(d -> isFinal(attribute("status-chips", "data-status")));
        assertThat(attribute("status-chips", "data-status")).isEqualTo("cancelled");
        assertThat(driver.findElement(By.cssSelector("#status-chips [data-status=final]")).getText()).contains("cancelled");
        assertThat(driver.findElement(By.id("cancel-run")).isDisplayed()).isFalse();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("outcome")));
        assertThat(text("headline")).isNotBlank();
        assertThat(driver.findElements(By.cssSelector("#log .line")).stream().map(WebElement::getText))
                .anyMatch(l -> l.contains("status: cancelled"));
        // Cancelling stops the analysis; the uploaded data stays in its volume.
        assertThat(Files.readString(onlyVolume().resolve("big.csv"))).isEqualTo(rows.toString());
    }

    @Test
    void aSlowUploadShowsProgressAndCanBeCancelled() {
        var big = write("big/measurements.csv", "t,v\n" + "0.000,1.000\n".repeat(400_000)); // ~4.8 MB
        open("/");
        driver.findElement(By.id("file-input")).sendKeys(big.toString());
        type("name", "Slow upload");
        type("description", "Throttled to show progress");
        var throttled = new ChromiumNetworkConditions();
        throttled.setLatency(Duration.ofMillis(5));
        throttled.setUploadThroughput(300 * 1024);
        throttled.setDownloadThroughput(10 * 1024 * 1024);
        driver.setNetworkConditions(throttled);
        try {
            await().until(ExpectedConditions.elementToBeClickable(By.id("upload-button"))).click();
            await().until(d -> text("upload-numbers").contains(" of ") && text("upload-numbers").contains("left"));
            assertThat(driver.findElement(By.id("upload-button")).isEnabled()).isFalse();
            assertThat(driver.findElement(By.id("name")).isEnabled()).isFalse();
            Chromium.screenshot(driver, "browser-page-uploading");
            driver.findElement(By.id("cancel-upload")).click();
            await().until(d -> text("form-error").equals("Upload cancelled. Nothing was kept."));
        } finally {
            driver.deleteNetworkConditions();
        }
        assertThat(driver.findElement(By.id("upload-progress")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("upload-button")).isEnabled()).isTrue();
        assertThat(rowPaths()).containsExactly("measurements.csv");
        // The worker drops the half-received upload: no volume remains.
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> volumes().isEmpty());
    }

    // --- helpers -------------------------------------------------------------------------------

    private void open(String path) {
        driver.get(worker.baseUrl() + path);
        await().until(d -> !text("health").startsWith("Checking"));
        // The form shows once the page knows it may (a worker without keys: at once).
        await().until(d -> !"checking".equals(driver.executeScript("return document.body.dataset.auth")));
    }

    private WebDriverWait await() {
        return new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    private Path write(String relative, String content) {
        try {
            var path = dataset.resolve(relative);
            Files.createDirectories(path.getParent());
            return Files.writeString(path, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void type(String id, String text) {
        driver.findElement(By.id(id)).sendKeys(text);
    }

    private void clear(String id) {
        var field = driver.findElement(By.id(id));
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private String attribute(String id, String name) {
        return driver.findElement(By.id(id)).getDomAttribute(name);
    }

    /** The error shown under a form field, without its warning sign; empty when none is shown. */
    private String errorOf(String field) {
        return stripSign(driver.findElement(By.id(field + "-error")).getText());
    }

    /** The error on a file's row; read in one script so a re-render can't stale it halfway. */
    private String rowError(String path) {
        var text = (String) driver.executeScript("""
                const row = [...document.querySelectorAll('.file-row')].find((r) => r.dataset.path === arguments[0]);
                return row ? row.querySelector('.file-error').innerText : null;
                """, path);
        assertThat(text).as("row for " + path).isNotNull();
        return stripSign(text);
    }

    private static String stripSign(String s) {
        return s.startsWith("⚠") ? s.substring(1).strip() : s.strip();
    }

    /** The paths in the file list, in order, read in one script (the list re-renders as files arrive). */
    @SuppressWarnings("unchecked")
    private List<String> rowPaths() {
        return (List<String>) driver.executeScript(
                "return [...document.querySelectorAll('.file-row')].map((r) => r.dataset.path)");
    }

    private static boolean isFinal(String status) {
        return List.of("succeeded", "failed", "cancelled").contains(status);
    }

    /** Everything under the data dir's volumes folder (staging included): empty when nothing was kept. */
    private List<String> volumes() {
        try {
            return DataDirs.volumeContents(dataDir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path onlyVolume() {
        try (Stream<Path> entries = Files.list(dataDir.resolve("volumes"))) {
            var all = entries.filter(p -> p.getFileName().toString().startsWith("dataset-volume-")).toList();
            assertThat(all).hasSize(1);
            return all.getFirst();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String sessionIdFromVolume() {
        return onlyVolume().getFileName().toString().substring("dataset-volume-".length());
    }
}
