package dev.labdesk.desktop.sessions;

import dev.labdesk.desktop.client.WorkerApi;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.model.SessionInfo;
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

    public SessionListViewModel(Supplier<? extends WorkerApi> client, Executor ui) {
        this(client, ui, task -> Thread.ofVirtual().name("sessions").start(task));
    }

    /** {@code background} asks the worker, off the UI thread; {@code ui} shows the answer. */
    public SessionListViewModel(Supplier<? extends WorkerApi> client, Executor ui, Executor background) {
        this.client = client;
        this.ui = ui;
        this.background = background;
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

    public ObservableList<SessionInfo> sessions() { return sessions; }
    public ReadOnlyStringProperty problemProperty() { return problem.getReadOnlyProperty(); }
}
