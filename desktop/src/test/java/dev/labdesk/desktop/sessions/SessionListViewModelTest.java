package dev.labdesk.desktop.sessions;

import dev.labdesk.desktop.client.ChatConnection;
import dev.labdesk.desktop.client.EventStream;
import dev.labdesk.desktop.client.LocalFile;
import dev.labdesk.desktop.client.ResumableUploadTask;
import dev.labdesk.desktop.client.WorkerAddress;
import dev.labdesk.desktop.client.WorkerApi;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Health;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** The sessions list against a worker answered from memory: no window, no network, no threads. */
class SessionListViewModelTest {
    /** Tasks run when the test says, so it can check what happens on which side. */
    final List<Runnable> background = new ArrayList<>();
    final Executor ui = Runnable::run;

    @Test
    void refreshAsksTheWorkerInTheBackgroundAndShowsItsListOnTheUiSide() {
        var worker = new ListingWorker();
        worker.listing = List.of(session("b"), session("a"));
        var model = new SessionListViewModel(() -> worker, ui, background::add);

        model.refresh();
        assertThat(model.sessions()).as("nothing asked on the UI thread").isEmpty();
        assertThat(worker.asked).isZero();

        runBackground();
        assertThat(worker.asked).isEqualTo(1);
        assertThat(model.sessions()).extracting(SessionInfo::sessionId).containsExactly("b", "a");
        assertThat(model.problemProperty().get()).isEmpty();
    }

    @Test
    void aWorkerThatCannotBeReachedKeepsTheLastListAndSaysWhy() {
        var worker = new ListingWorker();
        worker.listing = List.of(session("a"));
        var model = new SessionListViewModel(() -> worker, ui, background::add);
        model.refresh();
        runBackground();

        worker.failure = WorkerException.unreachable("http://127.0.0.1:9", new IOException("Connection refused"));
        model.refresh();
        runBackground();

        assertThat(model.sessions()).extracting(SessionInfo::sessionId).containsExactly("a");
        assertThat(model.problemProperty().get()).contains("127.0.0.1:9");

        worker.failure = null;
        worker.listing = List.of(session("c"), session("a"));
        model.refresh();
        runBackground();
        assertThat(model.problemProperty().get()).isEmpty();
        assertThat(model.sessions()).extracting(SessionInfo::sessionId).containsExactly("c", "a");
    }

    @Test
    void withNoWorkerYetNothingIsAsked() {
        var model = new SessionListViewModel(() -> null, ui, background::add);
        model.refresh();
        assertThat(background).isEmpty();
    }

    private void runBackground() {
        var tasks = List.copyOf(background);
        background.clear();
        tasks.forEach(Runnable::run);
    }

    private static SessionInfo session(String id) {
        var context = new ExperimentContext("n " + id, "d", null, null, null, List.of(), Map.of());
        return new SessionInfo(id, "dataset-volume-" + id, SessionStatus.SUCCEEDED, context, 1, 10,
                Instant.EPOCH, Instant.EPOCH, null, "local");
    }

    /** A worker that only lists sessions: what this view model asks of it. */
    static final class ListingWorker implements WorkerApi {
        List<SessionInfo> listing = List.of();
        WorkerException failure;
        int asked;

        @Override public List<SessionInfo> sessions() throws WorkerException {
            asked++;
            if (failure != null) throw failure;
            return listing;
        }

        @Override public WorkerAddress address() { throw new UnsupportedOperationException(); }
        @Override public Health health() { throw new UnsupportedOperationException(); }
        @Override public SessionInfo session(String id) { throw new UnsupportedOperationException(); }
        @Override public String report(String id) { throw new UnsupportedOperationException(); }
        @Override public byte[] reportFigure(String id, String file) { throw new UnsupportedOperationException(); }
        @Override public void cancel(String id) { throw new UnsupportedOperationException(); }
        @Override public EventStream events(String sessionId, long afterSeq, EventStream.Listener listener) { throw new UnsupportedOperationException(); }
        @Override public ChatConnection chat(String userId, ChatConnection.Listener listener) { throw new UnsupportedOperationException(); }
        @Override public Upload upload(ExperimentContext context, List<LocalFile> files, ResumableUploadTask.Listener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
