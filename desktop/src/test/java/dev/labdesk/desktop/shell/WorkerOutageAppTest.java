package dev.labdesk.desktop.shell;

import dev.labdesk.desktop.TcpProxy;
import dev.labdesk.desktop.log.LogLine;
import dev.labdesk.desktop.log.LogLinesView;
import dev.labdesk.desktop.settings.Settings;
import dev.labdesk.desktop.settings.SettingsStore;
import dev.labdesk.desktop.settings.Theme;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static dev.labdesk.desktop.shell.DesktopAppTest.fx;
import static dev.labdesk.desktop.shell.DesktopAppTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app on a worker configured by URL, reached through a real TCP proxy that the test takes away
 * and brings back: the log says it is reconnecting, then resumes with no line missing or doubled.
 */
@ExtendWith(ApplicationExtension.class)
class WorkerOutageAppTest {
    Worker worker;
    TcpProxy proxy;
    MainViewModel model;
    String sessionId = SessionIds.newId();

    @Start
    void start(Stage stage) throws Exception {
        var tmp = Files.createTempDirectory("labdesk-outage");
        worker = new Worker(WorkerConfig.local(Files.createDirectories(tmp.resolve("worker")))).start();
        proxy = new TcpProxy(worker.port());
        var home = Files.createDirectories(tmp.resolve("home"));
        new SettingsStore(home).save(new Settings(proxy.url().toString(), "", "", "", "ada", Theme.LIGHT));
        var now = Instant.now();
        worker.sessions().store().create(new SessionInfo(sessionId, SessionIds.volumeName(sessionId), SessionStatus.RUNNING,
                new ExperimentContext("Outage", "d", null, null, null, null, null), 0, 0, now, now, null, "local"), List.of());
        model = new MainViewModel(home, Platform::runLater, url -> { throw new AssertionError("this test opens no browser: " + url); });
        new MainWindow(stage, model).show();
        model.start();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(model::close).get(20, TimeUnit.SECONDS);
        proxy.close();
        worker.close();
    }

    private void log(int n) {
        for (int i = 0; i < n; i++) worker.events().append(new SessionEvent.Log(sessionId, 0, Instant.now(), "INFO", "agent", "line"));
    }

    @Test
    void theLogResumesWithNoGapWhenTheWorkerComesBack(FxRobot robot) throws Exception {
        waitFor(20, () -> model.readyProperty().get());
        assertThat(fx(() -> robot.lookup("#status-bar").queryAs(StatusBar.class).getText())).isEqualTo("worker " + proxy.url());
        waitFor(10, () -> model.sessions().sessions().size() == 1);
        // the list's cell for it is laid out on a later pulse than the model change
        waitFor(10, () -> robot.lookup("Outage").tryQuery().filter(javafx.scene.Node::isVisible).isPresent());
        robot.clickOn("Outage");
        log(40);
        LogLinesView list = robot.lookup("#log-list").queryAs(LogLinesView.class);
        waitFor(10, () -> list.items().size() == 40);

        proxy.stop();
        log(40);
        waitFor(10, () -> model.log().connectionProperty().get().startsWith("reconnecting…"));
        proxy.start();
        waitFor(20, () -> list.items().size() == 80);
        waitFor(5, () -> model.log().connectionProperty().get().contains("caught up"));

        assertThat(fx(() -> list.items().stream().map(LogLine::seq).toList()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
    }
}
