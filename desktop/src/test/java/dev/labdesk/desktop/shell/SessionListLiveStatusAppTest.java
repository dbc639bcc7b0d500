package dev.labdesk.desktop.shell;

import dev.labdesk.desktop.TestData;
import dev.labdesk.desktop.log.LogLine;
import dev.labdesk.model.ContextField;
import dev.labdesk.model.SessionInfo;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static dev.labdesk.desktop.shell.DesktopAppTest.fx;
import static dev.labdesk.desktop.shell.DesktopAppTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole app, headless, on its embedded worker: while a run goes queued → running → succeeded, the
 * sessions list's row for it says what the log says — sampled on the FX thread the moment a status line
 * enters the log, and again in every frame after layout, as drawn.
 */
@ExtendWith(ApplicationExtension.class)
class SessionListLiveStatusAppTest {
    private static final Pattern STATUS_LINE = Pattern.compile("session (queued|running|succeeded|failed|cancelled)");

    MainViewModel model;
    Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        model = new MainViewModel(Files.createTempDirectory("labdesk-live-status-test"), Platform::runLater, url -> {});
        new MainWindow(stage, model).show();
        model.start();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(model::close).get(20, TimeUnit.SECONDS);
    }

    /** What the log said, and what the list's row and the log's caption said at that moment. */
    record Sample(String log, String row, String caption) {}

    @Test
    void theListsRowSaysWhatTheLogSaysAtEachStatusChangeOfARun(FxRobot robot) throws Exception {
        waitFor(30, () -> model.readyProperty().get());
        ListView<SessionInfo> list = robot.lookup("#session-list").queryListView();
        Tab logTab = fx(() -> robot.lookup("#center-tabs").queryAs(TabPane.class).getTabs().stream()
                .filter(t -> "log-tab".equals(t.getId())).findFirst().orElseThrow());
        var seen = new CopyOnWriteArrayList<String>();
        var atLogChange = new CopyOnWriteArrayList<Sample>();
        var drawnDisagreeing = new CopyOnWriteArrayList<Sample>();
        var framesChecked = new int[1];
        fx(() -> {
            model.log().visibleLines().addListener((ListChangeListener<LogLine>) c -> {
                while (c.next()) {
                    if (!c.wasAdded()) continue;
                    var added = c.getAddedSubList();
                    added.stream().map(l -> STATUS_LINE.matcher(l.text())).filter(m -> m.matches()).forEach(m -> seen.add(m.group(1)));
                    var said = lastStatus(added); // a replay may bring two in one frame: the later is what the log says now
                    if (said != null) atLogChange.add(new Sample(said, rowStatus(), logTab.getText()));
                }
            });
            stage.getScene().addPostLayoutPulseListener(() -> {
                var said = lastStatus(model.log().visibleLines());
                if (said == null) return;
                framesChecked[0]++;
                var drawn = drawnRowStatus(list);
                if (!said.equals(drawn)) drawnDisagreeing.add(new Sample(said, drawn, logTab.getText()));
            });
            return null;
        });

        var folder = TestData.nestedDataset(Files.createTempDirectory("labdesk-live-status-data"));
        fx(() -> {
            var u = model.upload();
            u.field(ContextField.NAME).set("Growth curves");
            u.field(ContextField.DESCRIPTION).set("OD600 every hour for 60 h");
            u.addPaths(List.of(folder));
            return null;
        });
        waitFor(10, () -> model.upload().files().size() == 4);
        fx(() -> { model.upload().upload(); return null; });

        waitFor(300, () -> model.session().statusProperty().get() != null && model.session().statusProperty().get().terminal()
                && lastStatus(model.log().visibleLines()) != null && model.log().pending() == 0);
        WaitForAsyncUtils.waitForFxEvents(); // a frame or two after the last line, so the drawn row is checked too

        assertThat(seen).as("the run's statuses as the log showed them").containsExactly("queued", "running", "succeeded");
        assertThat(atLogChange).extracting(Sample::log).as("changes of the log's status").endsWith("running", "succeeded");
        assertThat(atLogChange).extracting(Sample::row).as("the list's row each time the log's status changed; samples " + atLogChange)
                .isEqualTo(atLogChange.stream().map(Sample::log).toList());
        assertThat(atLogChange).extracting(Sample::caption).as("the log's caption each time its lines' status changed")
                .isEqualTo(atLogChange.stream().map(s -> "Log — Growth curves · " + s.log()).toList());
        assertThat(framesChecked[0]).as("frames drawn while the log showed a status").isPositive();
        assertThat(drawnDisagreeing).as("frames whose drawn row disagreed with the log").isEmpty();
        assertThat(fx(() -> drawnRowStatus(list))).isEqualTo("succeeded");
    }

    /** The status the lines' last status line says, or null if none does. */
    private static String lastStatus(List<? extends LogLine> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            var m = STATUS_LINE.matcher(lines.get(i).text());
            if (m.matches()) return m.group(1);
        }
        return null;
    }

    /** FX thread: the list's row for the open session, as its view model holds it. */
    private String rowStatus() {
        var id = model.session().sessionIdProperty().get();
        return model.sessions().sessions().stream().filter(s -> s.sessionId().equals(id)).findFirst()
                .map(s -> s.status().wire()).orElse("no row");
    }

    /** FX thread, after layout: the status badge of the open session's row as drawn. */
    private String drawnRowStatus(ListView<SessionInfo> list) {
        var id = model.session().sessionIdProperty().get();
        var badges = new ArrayList<String>();
        for (var node : list.lookupAll(".list-cell")) {
            if (node instanceof ListCell<?> cell && cell.isVisible() && !cell.isEmpty()
                    && cell.getItem() instanceof SessionInfo s && s.sessionId().equals(id)
                    && cell.lookup(".status-badge") instanceof Label badge) badges.add(badge.getText());
        }
        return badges.size() == 1 ? badges.getFirst() : "drawn rows " + badges;
    }
}
