package dev.labdesk.desktop.shell;

import dev.labdesk.desktop.client.FakeWorker;
import dev.labdesk.desktop.fx.Listeners;
import dev.labdesk.desktop.settings.Settings;
import dev.labdesk.desktop.settings.SettingsStore;
import dev.labdesk.desktop.settings.Theme;
import dev.labdesk.desktop.tasks.ManualTaskExecutor;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.labdesk.desktop.shell.DesktopAppTest.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main window, shown headless, switching between sessions of a worker answered from memory:
 * each switch closes the old stream and leaves no listener and no node behind in the window or its view models.
 */
@ExtendWith(ApplicationExtension.class)
class SessionSwitchingAppTest {
    static final String REPORT = """
            # Growth curves

            All **12 strains** grew; the mean OD600 doubled every 2.8 h.

            | strain | doubling (h) |
            |---|---|
            | wt | 2.7 |
            | dlacZ | 2.9 |

            ![OD600 over time](figures/growth-curve.png)
            """;

    ManualTaskExecutor tasks;
    FakeWorker worker;
    MainViewModel model;
    Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        var home = Files.createTempDirectory("labdesk-switch-test");
        new SettingsStore(home).save(new Settings("http://127.0.0.1:9", "", "", "", "ada", Theme.LIGHT));
        tasks = new ManualTaskExecutor(); // on the FX thread: its UI tasks run there
        model = new MainViewModel(home, tasks, url -> {}, (address, refused) -> {
            worker = new FakeWorker(address);
            return worker;
        });
        new MainWindow(stage, model).show();
        model.start();
        tasks.runAll();
    }

    @AfterEach
    void stop() throws Exception {
        fx(() -> {
            model.close();
            return null;
        });
    }

    @Test
    void switchingBetweenSessionsAHundredTimesLeavesNoListenerNoNodeAndOneOpenStream() throws Exception {
        var sessions = new ArrayList<SessionInfo>();
        for (int i = 0; i < 101; i++) {
            var id = "s" + i;
            sessions.add(session(id));
            worker.report(id, REPORT.replace("Growth curves", "Growth curves " + id));
        }
        worker.sessions(sessions);
        switchTo(sessions.get(0)); // the first switch builds what every later one reuses
        switchTo(sessions.get(1));
        int listenersBefore = fx(this::listeners);
        int nodesBefore = fx(() -> nodes(stage.getScene().getRoot()));
        assertThat(listenersBefore).as("the window's views listen to the view models").isGreaterThan(50);

        for (int i = 2; i < 101; i++) switchTo(sessions.get(i));

        assertThat(worker.openStreams()).isEqualTo(1);
        assertThat(worker.lastStream().sessionId).isEqualTo("s100");
        assertThat(fx(() -> model.session().reportProperty().get())).startsWith("# Growth curves s100");
        assertThat(fx(this::listeners)).as("listeners on the view models' properties").isEqualTo(listenersBefore);
        assertThat(fx(() -> nodes(stage.getScene().getRoot()))).as("nodes in the window").isEqualTo(nodesBefore);
    }

    private void switchTo(SessionInfo s) throws Exception {
        fx(() -> {
            model.open(s);
            worker.lastStream().send(new SessionEvent.Log(s.sessionId(), 1, Instant.EPOCH, "INFO", "agent", "reading growth.csv"));
            worker.lastStream().send(new SessionEvent.Progress(s.sessionId(), 2, Instant.EPOCH, "profiling", 1, 2));
            worker.lastStream().send(new SessionEvent.Status(s.sessionId(), 3, Instant.EPOCH, SessionStatus.SUCCEEDED));
            tasks.runAll();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents(); // the log's pulse, the figure's placeholder
    }

    private int listeners() {
        int n = 0;
        for (Object vm : List.of(model, model.session(), model.session().progress(), model.log(), model.sessions(), model.upload(), model.chat()))
            n += Listeners.onFieldsOf(vm);
        return n;
    }

    private static int nodes(Node n) {
        int count = 1;
        if (n instanceof Parent p) for (var c : p.getChildrenUnmodifiable()) count += nodes(c);
        return count;
    }

    private static SessionInfo session(String id) {
        var context = new ExperimentContext("Growth " + id, "d", null, null, null, List.of(), Map.of());
        return new SessionInfo(id, "dataset-volume-" + id, SessionStatus.SUCCEEDED, context, 1, 10, Instant.EPOCH, Instant.EPOCH, null, "local");
    }
}
