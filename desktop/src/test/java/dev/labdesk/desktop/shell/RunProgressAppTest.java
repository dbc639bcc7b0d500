package dev.labdesk.desktop.shell;

import dev.labdesk.desktop.PngFiles;
import dev.labdesk.model.ContextField;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large table uploaded through the app to its embedded worker: while the real agent profiles it,
 * the bar above the log shows the agent's step (the file, its place, the stage) and how far the run
 * is; once the run has ended the bar is gone. Leaves {@code target/screenshots/progress-desktop.png}.
 */
@ExtendWith(ApplicationExtension.class)
class RunProgressAppTest {
    /** Enough rows for a profile of many seconds on two shared cores. */
    static final int ROWS = 2_000_000; // a run of a few seconds even on a quiet machine, so the bar is there to be seen

    Path home;
    MainViewModel model;
    Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        home = Files.createTempDirectory("labdesk-progress-test");
        model = new MainViewModel(home, Platform::runLater, url -> {});
        new MainWindow(stage, model).show();
        model.start();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(model::close).get(20, TimeUnit.SECONDS);
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> fx(condition));
    }

    @Test
    void theBarShowsTheAgentsStepWhileItProfilesAndGoesWhenTheRunEnds(FxRobot robot) throws Exception {
        waitFor(30, () -> model.readyProperty().get());
        var folder = Files.createDirectories(Files.createTempDirectory("labdesk-progress-data").resolve("plates"));
        largeCsv(folder.resolve("growth.csv"), ROWS);
        fx(() -> {
            var u = model.upload();
            u.field(ContextField.NAME).set("Growth curves, 384-well plates");
            u.field(ContextField.DESCRIPTION).set("OD600 every minute for a year of runs.");
            u.addPaths(List.of(folder));
            return null;
        });
        waitFor(10, () -> model.upload().files().size() == 1);
        VBox pane = robot.lookup("#run-progress").queryAs(VBox.class);
        assertThat(fx(pane::isVisible)).isFalse();
        fx(() -> { model.upload().upload(); return null; });

        Label step = robot.lookup("#run-progress-step").queryAs(Label.class);
        Label amount = robot.lookup("#run-progress-amount").queryAs(Label.class);
        ProgressBar bar = robot.lookup("#run-progress-bar").queryAs(ProgressBar.class);
        // a stage of the profile, after the first, with the bar part-way: this is the worker's events on screen
        var steps = new java.util.concurrent.CopyOnWriteArrayList<String>();
        fx(() -> { step.textProperty().addListener((o, a, b) -> steps.add(b + " @" + bar.getProgress())); return null; });
        try {
            waitFor(600, () -> pane.isVisible() && step.getText().startsWith("Profiling plates/growth.csv (1 of 1 table file): ")
                    && bar.getProgress() > 0.15 && bar.getProgress() < 1);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the bar never showed a later stage part-way; steps seen: " + steps + "; status "
                    + fx(() -> model.session().statusProperty().get()) + "; log: "
                    + fx(() -> model.log().visibleLines().stream().map(l -> l.text()).toList()), e);
        }
        var shown = fx(step::getText);
        assertThat(shown).isIn("Profiling plates/growth.csv (1 of 1 table file): recognising column types",
                "Profiling plates/growth.csv (1 of 1 table file): computing column statistics",
                "Profiling plates/growth.csv (1 of 1 table file): looking for duplicate rows and correlations");
        assertThat(fx(amount::getText)).matches("\\d{1,2} %");
        assertThat(fx(() -> Integer.parseInt(amount.getText().replace(" %", ""))))
                .isEqualTo(fx(() -> (int) Math.floor(bar.getProgress() * 100)));
        screenshot(Path.of("target/screenshots/progress-desktop.png"));

        waitFor(600, () -> model.session().statusProperty().get() != null && model.session().statusProperty().get().terminal());
        assertThat(fx(() -> model.session().statusProperty().get().wire())).isEqualTo("succeeded");
        assertThat(fx(pane::isVisible)).isFalse();
        assertThat(fx(pane::isManaged)).isFalse();
    }

    private void screenshot(Path file) throws Exception {
        PngFiles.write(fx(() -> stage.getScene().snapshot(null)), file);
    }

    /** A plate-reader style table with gaps in the readings. */
    static void largeCsv(Path file, int rows) throws IOException {
        try (var w = Files.newBufferedWriter(file)) {
            w.write("well,strain,day,minute,od600,temp_c,sample\n");
            for (int i = 0; i < rows; i++) {
                w.write(String.format(Locale.ROOT, "W%d,%s,2026-%02d-%02d,%d,%s,%.1f,s%08x%n", i % 384, i % 3 == 0 ? "wt" : "mut",
                        1 + i % 12, 1 + i % 28, i % 1440, i % 97 == 0 ? "" : String.format(Locale.ROOT, "%.4f", 0.05 + (i % 1000) / 1000.0),
                        20 + (i % 170) / 10.0, i * 2654435761L & 0xffffffffL));
            }
        }
    }
}
