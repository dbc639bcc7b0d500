package dev.labdesk.desktop.shell;

import dev.labdesk.desktop.PngFiles;
import dev.labdesk.desktop.TestData;
import dev.labdesk.desktop.settings.Theme;
import dev.labdesk.model.ContextField;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TabPane;
import javafx.scene.image.ImageView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.labdesk.desktop.shell.DesktopAppTest.fx;
import static dev.labdesk.desktop.shell.DesktopAppTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report tab shows the report's figures: the whole app headless on its embedded worker (which wants
 * a key), a real agent's run, every figure fetched through the client with that key and drawn as an
 * ImageView no wider than the pane, in the light theme and the dark one.
 */
@ExtendWith(ApplicationExtension.class)
class ReportFiguresAppTest {
    MainViewModel model;
    Scene scene;

    @Start
    void start(Stage stage) throws Exception {
        model = new MainViewModel(Files.createTempDirectory("labdesk-figures-test"), Platform::runLater, url -> {});
        var window = new MainWindow(stage, model);
        window.show();
        scene = window.scene();
        model.start();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(model::close).get(20, TimeUnit.SECONDS);
    }

    @Test
    void theReportTabShowsEveryFigureInTheLightAndTheDarkTheme(FxRobot robot) throws Exception {
        waitFor(30, () -> model.readyProperty().get());
        var csv = TestData.growthWithFigures(Files.createTempDirectory("labdesk-figures-data"));
        fx(() -> {
            var u = model.upload();
            u.field(ContextField.NAME).set("Growth of twelve strains");
            u.field(ContextField.DESCRIPTION).set("OD600 and temperature every hour");
            u.addPaths(List.of(csv));
            return null;
        });
        waitFor(10, () -> model.upload().files().size() == 1);
        fx(() -> { model.upload().upload(); return null; });

        TabPane tabs = robot.lookup("#center-tabs").queryAs(TabPane.class);
        waitFor(120, () -> tabs.getSelectionModel().getSelectedItem().getId().equals("report-tab"));
        waitFor(10, () -> robot.lookup("#report").tryQuery().isPresent());
        VBox report = robot.lookup("#report").queryAs(VBox.class);
        waitFor(10, () -> report.lookupAll(".md-figure").size() >= 8);
        int figures = fx(() -> report.lookupAll(".md-figure").size());
        waitFor(30, () -> report.lookupAll(".md-figure ImageView").size() == figures);
        assertThat(fx(() -> report.lookupAll(".md-figure-alt").size())).as("no figure left as its alt text").isZero();

        for (var theme : Theme.values()) {
            fx(() -> { model.useTheme(theme); return null; });
            WaitForAsyncUtils.waitForFxEvents();
            var views = fx(() -> report.lookupAll(".md-figure ImageView").stream().map(ImageView.class::cast).toList());
            for (var view : views) {
                var image = fx(view::getImage);
                assertThat(image).isNotNull();
                assertThat(image.isError()).isFalse();
                assertThat(image.getProgress()).isEqualTo(1.0);
                assertThat(image.getWidth()).isGreaterThan(400);
                double shown = fx(() -> view.getBoundsInParent().getWidth());
                double pane = fx(report::getWidth);
                assertThat(shown).as(theme + ": drawn, no wider than the pane or the chart").isGreaterThan(100).isLessThanOrEqualTo(Math.min(pane, image.getWidth() / 2) + 1);
                assertThat(fx(view::isVisible)).isTrue();
            }
            screenshot(report, theme);
        }
    }

    /** With {@code -Dlabdesk.screenshots=DIR}: the window with the report scrolled to its first figures. */
    private void screenshot(VBox report, Theme theme) throws Exception {
        var dir = Optional.ofNullable(System.getProperty("labdesk.screenshots")).filter(s -> !s.isBlank());
        if (dir.isEmpty()) return;
        fx(() -> {
            var scroll = (ScrollPane) report.getParent().getParent().getParent();
            var first = report.lookup(".md-figure");
            double y = first.localToScene(0, 0).getY() - report.localToScene(0, 0).getY() - 60;
            scroll.setVvalue(Math.max(0, y / Math.max(1, report.getHeight() - scroll.getViewportBounds().getHeight())));
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(300);
        var image = fx(() -> scene.snapshot(null));
        PngFiles.write(image, Path.of(dir.get()).resolve("report-figures-desktop-" + theme.name().toLowerCase(Locale.ROOT) + ".png"));
    }
}
