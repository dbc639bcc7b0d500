package dev.labdesk.desktop.sessions;

import dev.labdesk.desktop.client.WorkerApi;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.tasks.TaskExecutor;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.model.UploadAccepted;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Previous sessions, newest first, as the worker lists them — except that a status seen live on a
 * session's event stream shows at once ({@link #statusSeen}), and a list fetched before that event
 * cannot take it back: statuses only move forward. Sessions nobody watches are refreshed from the worker.
 */
public final class SessionListViewModel {
    private final Supplier<? extends WorkerApi> client;
    private final Executor ui;
    private final Executor background;
    private final ObservableList<SessionInfo> sessions = FXCollections.observableArrayList();
    /** Statuses seen on a stream that the worker's list had not caught up with when last fetched. UI thread. */
    private final Map<String, SessionEvent.Status> seen = new HashMap<>();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final StringBinding emptyCaption = Bindings.createStringBinding(
            () -> problem.get().isEmpty() ? "No sessions yet" : "Could not list the sessions", problem);
    private long asked;

    /** The worker is asked on the {@code tasks}' background; the answer is shown through their UI queue. */
    public SessionListViewModel(Supplier<? extends WorkerApi> client, TaskExecutor tasks) {
        this.client = client;
        this.ui = tasks.ui();
        this.background = tasks.background();
    }

    /** UI thread. Fetches the list off the UI thread; only the answer to the latest request is shown. */
    public void refresh() {
        var worker = client.get();
        if (worker == null) return;
        long request = ++asked;
        background.execute(() -> {
            try {
                var list = worker.sessions();
                ui.execute(() -> {
                    if (request != asked) return; // an older answer may miss a session accepted since
                    problem.set("");
                    sessions.setAll(list.stream().map(this::withSeenStatus).toList());
                });
            } catch (WorkerException e) {
                ui.execute(() -> problem.set(e.getMessage()));
            }
        });
    }

    /** UI thread, from the health tick: asks again while a session the user is not watching may still change. */
    public void refreshWhileOthersRun(String watched) {
        if (sessions.stream().anyMatch(s -> !s.sessionId().equals(watched) && !s.status().terminal())) refresh();
    }

    /**
     * UI thread. The worker accepted an upload: its session is listed at the top at once, queued, as the
     * worker lists a new session; the next refresh brings the worker's own record.
     */
    public void accepted(UploadAccepted a, ExperimentContext context) {
        if (indexOf(a.sessionId()) >= 0) return;
        var now = Instant.now();
        sessions.add(0, new SessionInfo(a.sessionId(), a.volume(), SessionStatus.QUEUED, context, a.files(), a.bytes(),
                now, now, null, null));
        refresh();
    }

    /** UI thread. A session's stream said it moved to a status: its row says so now, if it is not further already. */
    public void statusSeen(SessionEvent.Status event) {
        int i = indexOf(event.sessionId());
        if (i < 0) {
            seen.put(event.sessionId(), event);
            refresh(); // a session this list has not heard of yet: the worker's answer will carry this status
            return;
        }
        var row = sessions.get(i);
        if (!row.status().canMoveTo(event.status())) return;
        seen.put(event.sessionId(), event);
        sessions.set(i, row.withStatus(event.status(), event.time(), row.error()));
    }

    /** The worker's record, unless a stream already said the session moved further. */
    private SessionInfo withSeenStatus(SessionInfo listed) {
        var event = seen.get(listed.sessionId());
        if (event == null) return listed;
        if (!listed.status().canMoveTo(event.status())) {
            seen.remove(listed.sessionId()); // the worker caught up (or is further): its record is the truth now
            return listed;
        }
        return listed.withStatus(event.status(), event.time(), listed.error());
    }

    private int indexOf(String id) {
        for (int i = 0; i < sessions.size(); i++) if (sessions.get(i).sessionId().equals(id)) return i;
        return -1;
    }

    public ObservableList<SessionInfo> sessions() { return sessions; }
    public ReadOnlyStringProperty problemProperty() { return problem.getReadOnlyProperty(); }
    /** What an empty list says: that there are none, or that they could not be listed (the problem says why). */
    public StringBinding emptyCaptionProperty() { return emptyCaption; }
}
