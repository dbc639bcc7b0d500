package dev.labdesk.desktop.sessions;

import dev.labdesk.desktop.client.FakeWorker;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.tasks.ManualTaskExecutor;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.model.UploadAccepted;
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

    @Test
    void aStatusSeenOnAStreamShowsInItsRowAtOnceAndAListFetchedBeforeCannotTakeItBack() {
        worker.sessions(List.of(session("b", SessionStatus.QUEUED), session("a", SessionStatus.SUCCEEDED)));
        var model = new SessionListViewModel(() -> worker, tasks);
        tasks.asUi(model::refresh);
        tasks.runAll();

        tasks.asUi(model::refresh);
        tasks.runBackground(); // the worker answered "queued"…
        tasks.asUi(() -> model.statusSeen(status("b", SessionStatus.RUNNING))); // …just before the stream said "running"
        assertThat(model.sessions()).extracting(SessionInfo::status).containsExactly(SessionStatus.RUNNING, SessionStatus.SUCCEEDED);
        tasks.runUi();
        assertThat(model.sessions()).extracting(SessionInfo::status).containsExactly(SessionStatus.RUNNING, SessionStatus.SUCCEEDED);

        tasks.asUi(() -> model.statusSeen(status("b", SessionStatus.QUEUED)));
        assertThat(model.sessions().getFirst().status()).as("a status only moves forward").isEqualTo(SessionStatus.RUNNING);

        worker.sessions(List.of(session("b", SessionStatus.SUCCEEDED), session("a", SessionStatus.SUCCEEDED)));
        tasks.asUi(model::refresh);
        tasks.runAll();
        assertThat(model.sessions()).extracting(SessionInfo::status).as("the worker's further status wins")
                .containsExactly(SessionStatus.SUCCEEDED, SessionStatus.SUCCEEDED);
        assertThat(worker.calls()).as("no asking for what the stream said").containsExactly("sessions", "sessions", "sessions");
    }

    @Test
    void anAcceptedUploadIsListedQueuedAtOnceAndAnOlderAnswerWithoutItIsDropped() {
        worker.sessions(List.of(session("a", SessionStatus.SUCCEEDED)));
        var model = new SessionListViewModel(() -> worker, tasks);
        tasks.asUi(model::refresh);
        tasks.runBackground(); // this answer was asked before the upload was accepted

        var context = new ExperimentContext("Growth", "d", null, null, null, List.of(), Map.of());
        tasks.asUi(() -> model.accepted(new UploadAccepted("n", "dataset-volume-n", "/sessions/n/events", 3, 30), context));
        assertThat(model.sessions()).singleElement().satisfies(s -> {
            assertThat(s.sessionId()).isEqualTo("n");
            assertThat(s.status()).isEqualTo(SessionStatus.QUEUED);
            assertThat(s.context().name()).isEqualTo("Growth");
            assertThat(s.files()).isEqualTo(3);
        });
        tasks.asUi(() -> model.statusSeen(status("n", SessionStatus.RUNNING)));
        tasks.runUi();
        assertThat(model.sessions()).extracting(SessionInfo::sessionId).as("the older answer is not shown").containsExactly("n");

        worker.sessions(List.of(session("n", SessionStatus.QUEUED), session("a", SessionStatus.SUCCEEDED)));
        tasks.runAll();
        assertThat(model.sessions()).extracting(SessionInfo::sessionId, SessionInfo::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("n", SessionStatus.RUNNING), org.assertj.core.groups.Tuple.tuple("a", SessionStatus.SUCCEEDED));
    }

    @Test
    void aStatusOfASessionNotListedYetAsksTheWorkerAndShowsOnItsAnswer() {
        worker.sessions(List.of());
        var model = new SessionListViewModel(() -> worker, tasks);
        worker.sessions(List.of(session("x", SessionStatus.QUEUED)));
        tasks.asUi(() -> model.statusSeen(status("x", SessionStatus.RUNNING)));
        tasks.runAll();
        assertThat(worker.calls()).containsExactly("sessions");
        assertThat(model.sessions()).singleElement().extracting(SessionInfo::status).isEqualTo(SessionStatus.RUNNING);
    }

    static SessionEvent.Status status(String id, SessionStatus s) {
        return new SessionEvent.Status(id, 1, Instant.EPOCH, s);
    }

    static SessionInfo session(String id, SessionStatus status) {
        return session(id).withStatus(status, Instant.EPOCH, null);
    }

    static SessionInfo session(String id) {
        var context = new ExperimentContext("n " + id, "d", null, null, null, List.of(), Map.of());
        return new SessionInfo(id, "dataset-volume-" + id, SessionStatus.SUCCEEDED, context, 1, 10,
                Instant.EPOCH, Instant.EPOCH, null, "local");
    }
}
