package dev.labdesk.desktop.sessions;

import dev.labdesk.desktop.client.FakeWorker;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.tasks.ManualTaskExecutor;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sessions list against a worker answered from memory: no window, no network, no threads. */
class SessionListViewModelTest {
    final ManualTaskExecutor tasks = new ManualTaskExecutor();
    final FakeWorker worker = new FakeWorker("http://127.0.0.1:9");

    @Test
    void refreshAsksTheWorkerInTheBackgroundAndShowsItsListOnTheUiSide() {
        worker.sessions(List.of(session("b"), session("a")));
        var model = new SessionListViewModel(() -> worker, tasks);

        tasks.asUi(model::refresh);
        assertThat(model.sessions()).as("nothing asked on the UI thread").isEmpty();
        assertThat(worker.calls()).isEmpty();

        tasks.runBackground();
        assertThat(worker.calls()).containsExactly("sessions");
        assertThat(model.sessions()).as("not shown before the UI thread's turn").isEmpty();

        tasks.runUi();
        assertThat(model.sessions()).extracting(SessionInfo::sessionId).containsExactly("b", "a");
        assertThat(model.problemProperty().get()).isEmpty();
    }

    @Test
    void aWorkerThatCannotBeReachedKeepsTheLastListAndSaysWhy() {
        worker.sessions(List.of(session("a")));
        var model = new SessionListViewModel(() -> worker, tasks);
        tasks.asUi(model::refresh);
        tasks.runAll();

        worker.failing(WorkerException.unreachable("http://127.0.0.1:9", new IOException("Connection refused")));
        tasks.asUi(model::refresh);
        tasks.runAll();

        assertThat(model.sessions()).extracting(SessionInfo::sessionId).containsExactly("a");
        assertThat(model.problemProperty().get()).contains("127.0.0.1:9");
        assertThat(model.emptyCaptionProperty().get()).as("an empty list would not claim there are none")
                .isEqualTo("Could not list the sessions");

        worker.failing(null).sessions(List.of(session("c"), session("a")));
        tasks.asUi(model::refresh);
        tasks.runAll();
        assertThat(model.problemProperty().get()).isEmpty();
        assertThat(model.emptyCaptionProperty().get()).isEqualTo("No sessions yet");
        assertThat(model.sessions()).extracting(SessionInfo::sessionId).containsExactly("c", "a");
    }

    @Test
    void withNoWorkerYetNothingIsAsked() {
        var model = new SessionListViewModel(() -> null, tasks);
        tasks.asUi(model::refresh);
        assertThat(tasks.pendingBackground()).isZero();
    }

    static SessionInfo session(String id) {
        var context = new ExperimentContext("n " + id, "d", null, null, null, List.of(), Map.of());
        return new SessionInfo(id, "dataset-volume-" + id, SessionStatus.SUCCEEDED, context, 1, 10,
                Instant.EPOCH, Instant.EPOCH, null, "local");
    }
}
