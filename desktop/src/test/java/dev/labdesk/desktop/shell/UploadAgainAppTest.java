package dev.labdesk.desktop.shell;

import dev.labdesk.desktop.PngFiles;
import dev.labdesk.desktop.TestData;
import dev.labdesk.model.SessionInfo;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
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
import java.util.concurrent.TimeUnit;

import static dev.labdesk.desktop.shell.DesktopAppTest.fx;
import static dev.labdesk.desktop.shell.DesktopAppTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole app, headless, on its embedded worker, after an upload succeeded: the form says where the
 * dataset went and neither the button nor the shortcut sends it twice; New upload keeps the form for the
 * next dataset; the link goes back to the uploaded session. Leaves {@code target/screenshots/upload-done-desktop.png}.
 */
@ExtendWith(ApplicationExtension.class)
class UploadAgainAppTest {
    MainViewModel model;
    Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        model = new MainViewModel(Files.createTempDirectory("labdesk-upload-again-test"), Platform::runLater, url -> {});
        new MainWindow(stage, model).show();
        model.start();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(model::close).get(20, TimeUnit.SECONDS);
    }

    @Test
    void aSucceededUploadIsNotSentTwiceAndNewUploadKeepsTheFormForTheNextDataset(FxRobot robot) throws Exception {
        waitFor(30, () -> model.readyProperty().get());
        var folder = TestData.nestedDataset(Files.createTempDirectory("labdesk-data"));
        fx(() -> { model.upload().addPaths(List.of(folder)); return null; });
        ListView<?> files = robot.lookup("#file-list").queryListView();
        waitFor(10, () -> files.getItems().size() == 4);
        robot.clickOn("#field-name").write("Growth curves");
        robot.clickOn("#field-description").write("OD600 every hour for 60 h");
        robot.clickOn("#upload");

        Label status = robot.lookup("#upload-status").queryAs(Label.class);
        Button upload = robot.lookup("#upload").queryButton();
        Button next = robot.lookup("#new-upload").queryButton();
        Hyperlink openUploaded = robot.lookup("#open-uploaded").queryAs(Hyperlink.class);
        waitFor(30, () -> status.getText().startsWith("Uploaded 4 files, "));
        var first = fx(() -> model.upload().uploadedProperty().get().sessionId());
        assertThat(fx(status::getText)).contains("as session " + first + ". To upload again, change the files or the form, or choose New upload.");
        assertThat(fx(upload::isDisabled)).isTrue();
        assertThat(fx(upload::getText)).isEqualTo("Uploaded");
        assertThat(fx(() -> next.getStyleClass().contains("accent"))).as("the next step stands out").isTrue();
        assertThat(fx(() -> upload.getStyleClass().contains("accent"))).isFalse();
        assertThat(fx(() -> robot.lookup("#upload-progress").query().isVisible())).as("no full bar beside the run's own").isFalse();
        waitFor(10, () -> first.equals(model.session().sessionIdProperty().get()));
        assertThat(fx(openUploaded::isVisible)).as("its log is on screen already").isFalse();
        screenshot(Path.of("target/screenshots/upload-done-desktop.png"));

        robot.clickOn("#upload");
        robot.press(KeyCode.CONTROL).press(KeyCode.U).release(KeyCode.U).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> model.upload().phaseProperty().get().busy())).as("neither the button nor Ctrl+U started an upload").isFalse();
        assertThat(model.client().sessions()).extracting(SessionInfo::sessionId).containsExactly(first);

        robot.clickOn("#new-upload");
        assertThat(fx(() -> files.getItems().isEmpty())).isTrue();
        assertThat(fx(() -> robot.lookup("#field-name").queryTextInputControl().getText())).isEqualTo("Growth curves");
        assertThat(fx(() -> robot.lookup("#field-description").queryTextInputControl().getText())).isEqualTo("OD600 every hour for 60 h");
        assertThat(fx(() -> robot.lookup("#error-files").queryAs(Label.class).isVisible())).as("no red before the user tried").isFalse();
        assertThat(fx(upload::isDisabled)).isFalse();
        assertThat(fx(upload::getText)).isEqualTo("Upload");
        assertThat(fx(status::getText)).isEqualTo("Add the next dataset's files; the form is kept.");

        fx(() -> { model.upload().addPaths(List.of(folder)); return null; });
        waitFor(10, () -> files.getItems().size() == 4);
        robot.clickOn("#field-name").type(KeyCode.END).write(", day 2");
        assertThat(fx(() -> robot.lookup("#field-name").queryTextInputControl().getText())).isEqualTo("Growth curves, day 2");
        robot.clickOn("#upload");
        waitFor(30, () -> model.upload().uploadedProperty().get() != null && status.getText().startsWith("Uploaded 4 files, "));
        var second = fx(() -> model.upload().uploadedProperty().get().sessionId());
        assertThat(second).isNotEqualTo(first);
        waitFor(10, () -> second.equals(model.session().sessionIdProperty().get()));
        waitFor(10, () -> model.sessions().sessions().size() == 2);

        // the user looks at the first session; the form offers the way back to the one it uploaded
        ListView<SessionInfo> sessions = robot.lookup("#session-list").queryListView();
        waitFor(15, () -> robot.from(sessions).lookup(".list-cell").queryAll().stream()
                .anyMatch(c -> c instanceof ListCell<?> cell && cell.getItem() instanceof SessionInfo s && s.sessionId().equals(first)));
        Node firstCell = robot.from(sessions).lookup(".list-cell").match(
                (Node c) -> c instanceof ListCell<?> cell && cell.getItem() instanceof SessionInfo s && s.sessionId().equals(first)).query();
        robot.clickOn(firstCell);
        waitFor(15, () -> first.equals(model.session().sessionIdProperty().get()));
        waitFor(5, openUploaded::isVisible);
        robot.clickOn("#open-uploaded");
        waitFor(15, () -> second.equals(model.session().sessionIdProperty().get()));
        assertThat(fx(openUploaded::isVisible)).isFalse();

        robot.clickOn("#field-tags").write("growth");
        assertThat(fx(upload::isDisabled)).as("a changed form is a new dataset").isFalse();
        assertThat(fx(status::getText)).isEqualTo("Changed since the upload as session " + second + ": Upload sends it as a new session.");
        assertThat(model.client().sessions()).hasSize(2);
    }

    private void screenshot(Path file) throws Exception {
        PngFiles.write(fx(() -> stage.getScene().snapshot(null)), file);
    }
}
