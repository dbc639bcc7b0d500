package dev.labdesk.desktop.sessions;

import dev.labdesk.desktop.client.WorkerApi;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.tasks.TaskExecutor;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Previous sessions, newest first, as the worker lists them. */
public final class SessionListViewModel {
    private final Supplier<? extends WorkerApi> client;
    private final Executor ui;
    private final Executor background;
    private final ObservableList<SessionInfo> sessions = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final StringBinding emptyCaption = Bindings.createStringBinding(
            () -> problem.get().isEmpty() ? "No sessions yet" : "Could not list the sessions", problem);

    /** The worker is asked on the {@code tasks}' background; the answer is shown through their UI queue. */
    public SessionListViewModel(Supplier<? extends WorkerApi> client, TaskExecutor tasks) {
        this.client = client;
        this.ui = tasks.ui();
        this.background = tasks.background();
    }

    /** Fetches the list off the UI thread. */
    public void refresh() {
        var worker = client.get();
        if (worker == null) return;
        background.execute(() -> {
            try {
                var list = worker.sessions();
                ui.execute(() -> {
                    problem.set("");
                    sessions.setAll(list);
                });
            } catch (WorkerException e) {
                ui.execute(() -> problem.set(e.getMessage()));
            }
        });
    }

    /** Whether the list shows session {@code id} with status {@code status}. */
    public boolean shows(String id, SessionStatus status) {
        return sessions.stream().anyMatch(s -> s.sessionId().equals(id) && s.status() == status);
    }

    public ObservableList<SessionInfo> sessions() { return sessions; }
    public ReadOnlyStringProperty problemProperty() { return problem.getReadOnlyProperty(); }
    /** What an empty list says: that there are none, or that they could not be listed (the problem says why). */
    public StringBinding emptyCaptionProperty() { return emptyCaption; }
}
