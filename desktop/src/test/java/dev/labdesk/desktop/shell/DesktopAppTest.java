package dev.labdesk.desktop.shell;

import dev.labdesk.desktop.TestData;
import dev.labdesk.desktop.log.LogLine;
import dev.labdesk.desktop.log.LogLinesView;
import dev.labdesk.model.ChatRole;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole app, headless (Monocle), on its embedded worker: real uploads, the real agent, the real
 * chat. The robot types and clicks as a user would.
 */
@ExtendWith(ApplicationExtension.class)
class DesktopAppTest {
    Path home;
    MainViewModel model;
    final List<URI> opened = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        home = Files.createTempDirectory("labdesk-app-test");
        model = new MainViewModel(home, Platform::runLater, opened::add);
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

    void ready(FxRobot robot) throws Exception {
        waitFor(30, () -> model.readyProperty().get());
        var bar = robot.lookup("#status-bar").queryAs(StatusBar.class);
        assertThat(fx(bar::getText)).startsWith("embedded worker · http://127.0.0.1:");
    }

    @Test
    void aNestedFolderUploadsRunsToSucceededAndTheReportOpens(FxRobot robot) throws Exception {
        ready(robot);
        var folder = TestData.nestedDataset(Files.createTempDirectory("labdesk-data"));
        fx(() -> { model.upload().addPaths(List.of(folder)); return null; });
        ListView<?> files = robot.lookup("#file-list").queryListView();
        waitFor(10, () -> files.getItems().size() == 4);

        robot.clickOn("#field-name").write("Growth curves");
        robot.clickOn("#field-description").write("OD600 every hour for 60 h");
        robot.clickOn("#field-tags").write("growth, e-coli");
        robot.clickOn("#upload");

        LogLinesView log = robot.lookup("#log-list").queryAs(LogLinesView.class);
        waitFor(90, () -> log.items().stream().anyMatch(l -> l.text().equals("session succeeded")));
        assertThat(fx(() -> log.items().stream().map(LogLine::text).toList()))
                .startsWith("session queued", "session running")
                .doesNotContain("session failed");
        assertThat(fx(() -> log.items().stream().mapToLong(LogLine::seq).toArray())).isSorted().doesNotHaveDuplicates();

        TabPane tabs = robot.lookup("#center-tabs").queryAs(TabPane.class);
        waitFor(20, () -> tabs.getSelectionModel().getSelectedItem().getId().equals("report-tab"));
        // the tab's content joins the scene graph on a later pulse than the selection
        waitFor(10, () -> robot.lookup("#report").tryQuery().isPresent());
        VBox report = robot.lookup("#report").queryAs(VBox.class);
        waitFor(10, () -> report.lookupAll(".md-run").stream().map(n -> ((Text) n).getText()).reduce("", String::concat).contains("growth.csv"));
        var text = fx(() -> report.lookupAll(".md-run").stream().map(n -> ((Text) n).getText()).reduce("", String::concat));
        assertThat(text).isNotBlank().doesNotStartWith("No report").contains("growth.csv");
        assertThat(fx(() -> model.sessions().sessions().size())).isEqualTo(1);
    }

    @Test
    void theFormSaysWhatIsWrongNextToEachFieldBeforeSendingAnything(FxRobot robot) throws Exception {
        ready(robot);
        Label name = robot.lookup("#error-name").queryAs(Label.class);
        assertThat(fx(name::isVisible)).isFalse();

        robot.clickOn("#upload");
        assertThat(fx(name::getText)).isEqualTo("is required");
        assertThat(fx(name::isVisible)).isTrue();
        assertThat(fx(() -> robot.lookup("#error-description").queryAs(Label.class).getText())).isEqualTo("is required");
        assertThat(fx(() -> robot.lookup("#error-files").queryAs(Label.class).getText())).isEqualTo("add at least one file or folder");

        robot.clickOn("#field-contact_email").write("ada@");
        assertThat(fx(() -> robot.lookup("#error-contact_email").queryAs(Label.class).getText()))
                .isEqualTo("must be an email address like name@example.org");
        robot.clickOn("#field-name").write("Growth");
        assertThat(fx(name::isVisible)).isFalse();
        assertThat(model.client().sessions()).isEmpty();
    }

    @Test
    void aChatMessageGetsAStreamedReply(FxRobot robot) throws Exception {
        ready(robot);
        waitFor(10, () -> model.chat().connectedProperty().get());
        robot.clickOn("#chat-input").write("hello").type(KeyCode.ENTER);
        waitFor(15, () -> model.chat().messages().stream()
                .anyMatch(m -> m.role() == ChatRole.ASSISTANT && !m.streamingProperty().get() && !m.textProperty().get().isBlank()));
        VBox messages = robot.lookup("#chat-messages").queryAs(VBox.class);
        assertThat(fx(() -> messages.lookupAll(".bubble-user").size())).isEqualTo(1);
        assertThat(fx(() -> messages.lookupAll(".bubble-assistant").size())).isEqualTo(1);
        assertThat(fx(() -> robot.lookup("#chat-input").queryTextInputControl().getText())).isEmpty();
    }

    @Test
    void findInLogIsOneShortcutAway(FxRobot robot) throws Exception {
        ready(robot);
        robot.press(KeyCode.CONTROL).press(KeyCode.F).release(KeyCode.F).release(KeyCode.CONTROL);
        waitFor(5, () -> robot.lookup("#log-search").query().isFocused());
        robot.write("od600");
        assertThat(fx(() -> model.log().searchProperty().get())).isEqualTo("od600");
    }

    @Test
    void openInBrowserSignsThePageInWithTheLaunchKey(FxRobot robot) throws Exception {
        ready(robot);
        robot.press(KeyCode.CONTROL).press(KeyCode.B).release(KeyCode.B).release(KeyCode.CONTROL);
        waitFor(5, () -> !opened.isEmpty());
        var embedded = model.embeddedWorker().orElseThrow();
        assertThat(opened).containsExactly(URI.create(embedded.baseUrl() + "/?token=" + embedded.key()));

        var browser = BrowserSignIn.follow(opened.getFirst());
        assertThat(browser.status()).isEqualTo(303);
        assertThat(browser.location()).isEqualTo("/");
        assertThat(browser.cookieSet()).isTrue();
        assertThat(browser.meStatus()).isEqualTo(200);
        assertThat(browser.me()).contains("\"user_id\":\"local\"", "\"admin\":true");
    }
}
