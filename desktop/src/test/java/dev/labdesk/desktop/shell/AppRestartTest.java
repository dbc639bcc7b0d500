package dev.labdesk.desktop.shell;

import dev.labdesk.desktop.TestData;
import dev.labdesk.desktop.log.LogLinesView;
import dev.labdesk.model.SessionInfo;
import javafx.application.Platform;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quit the app and start it again on the same app-data folder: the embedded worker's durable store
 * brings back the session (its log, its report), the conversation and the profile.
 */
@ExtendWith(ApplicationExtension.class)
class AppRestartTest {
    Path home;
    Stage stage;
    MainViewModel model;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        home = Files.createTempDirectory("labdesk-restart-test");
        model = launch();
    }

    /** FX thread: what {@code LabdeskApp.start} does, on the test's app-data folder. */
    MainViewModel launch() {
        var m = new MainViewModel(home, Platform::runLater, url -> { });
        new MainWindow(stage, m).show();
        m.start();
        return m;
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

    static String reportText(FxRobot robot) throws Exception {
        return fx(() -> robot.lookup("#report").tryQueryAs(VBox.class)
                .map(r -> r.lookupAll(".md-run").stream().map(n -> ((Text) n).getText()).reduce("", String::concat))
                .orElse(""));
    }

    List<String> logLines(FxRobot robot) throws Exception {
        return fx(() -> robot.lookup("#log-list").queryAs(LogLinesView.class).items().stream()
                .map(l -> l.seq() + " " + l.level() + " " + l.text()).toList());
    }

    List<String> chat() throws Exception {
        return fx(() -> model.chat().messages().stream().map(m -> m.role() + ": " + m.textProperty().get()).toList());
    }

    List<String> profile() throws Exception {
        return fx(() -> model.chat().profile().stream().map(r -> r.field() + "=" + r.valueProperty().get() + " from \"" + r.sourceProperty().get() + "\"").toList());
    }

    @Test
    void quittingAndStartingAgainBringsBackTheSessionItsLogAndReportTheChatAndTheProfile(FxRobot robot) throws Exception {
        waitFor(30, () -> model.readyProperty().get());
        var folder = TestData.nestedDataset(Files.createTempDirectory("labdesk-data"));
        fx(() -> { model.upload().addPaths(List.of(folder)); return null; });
        waitFor(10, () -> robot.lookup("#file-list").queryListView().getItems().size() == 4);
        robot.clickOn("#field-name").write("Growth curves");
        robot.clickOn("#field-description").write("OD600 every hour for 60 h");
        robot.clickOn("#upload");
        waitFor(90, () -> robot.lookup("#log-list").queryAs(LogLinesView.class).items().stream()
                .anyMatch(l -> l.text().equals("session succeeded")));
        waitFor(20, () -> reportText(robot).contains("growth.csv"));
        var sessionId = fx(() -> model.session().sessionIdProperty().get());
        var log = logLines(robot);
        var report = reportText(robot);

        waitFor(10, () -> model.chat().connectedProperty().get());
        robot.clickOn("#chat-input").write("hello").type(KeyCode.ENTER);
        waitFor(15, () -> model.chat().messages().size() >= 2 && !model.chat().replyingProperty().get());
        robot.clickOn("#chat-input").write("Ada Lovelace").type(KeyCode.ENTER);
        waitFor(15, () -> !model.chat().profile().isEmpty() && model.chat().messages().size() >= 4
                && !model.chat().replyingProperty().get());
        var conversation = chat();
        var fields = profile();
        assertThat(conversation).hasSize(4).startsWith("USER: hello");
        assertThat(fields).contains("NAME=Ada Lovelace from \"Ada Lovelace\"");

        // quit: LabdeskApp.stop closes the model and with it the embedded worker
        var firstKey = model.embeddedWorker().orElseThrow().key();
        fx(() -> { model.close(); return null; });
        model = fx(this::launch);
        waitFor(30, () -> model.readyProperty().get());
        assertThat(model.embeddedWorker().orElseThrow().key()).as("a fresh launch key").isNotEqualTo(firstKey);
        assertThat(model.embeddedWorker().orElseThrow().dataDir()).isEqualTo(home.resolve("worker"));

        ListView<SessionInfo> sessions = robot.lookup("#session-list").queryListView();
        waitFor(15, () -> sessions.getItems().size() == 1);
        assertThat(fx(() -> sessions.getItems().getFirst().sessionId())).isEqualTo(sessionId);
        // the list lays its cells out on a later pulse than the one that set its items
        waitFor(15, () -> robot.from(sessions).lookup(".list-cell").queryAll().stream()
                .anyMatch(c -> c instanceof javafx.scene.control.ListCell<?> cell && cell.getItem() != null));
        javafx.scene.Node firstCell = robot.from(sessions).lookup(".list-cell").match(
                (javafx.scene.Node c) -> c instanceof javafx.scene.control.ListCell<?> cell && cell.getItem() != null).query();
        robot.clickOn(firstCell);
        waitFor(15, () -> sessionId.equals(model.session().sessionIdProperty().get()));
        waitFor(30, () -> logLines(robot).equals(log));
        TabPane tabs = robot.lookup("#center-tabs").queryAs(TabPane.class);
        waitFor(20, () -> tabs.getSelectionModel().getSelectedItem().getId().equals("report-tab"));
        waitFor(10, () -> reportText(robot).equals(report));

        waitFor(15, () -> chat().equals(conversation));
        waitFor(10, () -> profile().equals(fields));
        VBox messages = robot.lookup("#chat-messages").queryAs(VBox.class);
        assertThat(fx(() -> messages.lookupAll(".bubble-user").size())).isEqualTo(2);
        assertThat(fx(() -> robot.lookup("#profile-name").tryQuery().isPresent())).isTrue();
    }
}
