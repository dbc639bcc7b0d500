package dev.labdesk.desktop.sessions;

import dev.labdesk.desktop.client.WorkerClient;
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
    private final Supplier<WorkerClient> client;
    private final Executor ui;
    private final ObservableList<SessionInfo> sessions = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");

    public SessionListViewModel(Supplier<WorkerClient> client, Executor ui) {
        this.client = client;
        this.ui = ui;
    }

    /** Fetches the list off the UI thread. */
    public void refresh() {
        var worker = client.get();
        if (worker == null) return;
        Thread.ofVirtual().name("sessions").start(() -> {
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
