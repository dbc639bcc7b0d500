package dev.labdesk.desktop.sessions;

import dev.labdesk.model.SessionEvent;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The open session's run progress: the agent's current step and how far the run is, from its
 * {@code progress} events. Events arrive on the stream's thread; only the latest is applied, once per
 * UI turn, so a replayed log of thousands of them costs a handful of updates. Shown while the run
 * goes, hidden once it has ended (a full bar with the last file's name would read as "still on it").
 */
public final class RunProgressViewModel {
    private final Executor ui;
    private final AtomicReference<SessionEvent.Progress> latest = new AtomicReference<>();
    private final ReadOnlyStringWrapper step = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper amount = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyBooleanWrapper shown = new ReadOnlyBooleanWrapper(false);
    private String sessionId = "";
    private boolean ended;

    public RunProgressViewModel(Executor ui) {
        this.ui = ui;
    }

    /** Any thread. */
    public void offer(SessionEvent.Progress event) {
        if (latest.getAndSet(event) == null) ui.execute(this::apply);
    }

    private void apply() {
        var p = latest.getAndSet(null);
        if (p == null || ended || !sessionId.equals(p.sessionId())) return;
        step.set(p.step() == null || p.step().isBlank() ? "Working…" : p.step());
        if (p.total() > 0) {
            double f = Math.clamp((double) p.done() / p.total(), 0, 1);
            fraction.set(f);
            amount.set(String.format(Locale.ROOT, "%d %%", (int) Math.floor(f * 100)));
        } else {
            fraction.set(-1); // indeterminate: a step with nothing to count
            amount.set("");
        }
        shown.set(true);
    }

    /** UI thread: another session is open; its progress starts hidden. */
    public void reset(String id) {
        sessionId = id;
        ended = false;
        latest.set(null);
        shown.set(false);
        step.set("");
        amount.set("");
        fraction.set(0);
    }

    /** UI thread: the run reached a terminal status. */
    public void end() {
        ended = true;
        shown.set(false);
    }

    public ReadOnlyStringProperty stepProperty() { return step.getReadOnlyProperty(); }
    /** How far the run is, as "43 %"; empty when the step has nothing to count. */
    public ReadOnlyStringProperty amountProperty() { return amount.getReadOnlyProperty(); }
    /** 0–1, or -1 for indeterminate (as a {@code ProgressBar} takes it). */
    public ReadOnlyDoubleProperty fractionProperty() { return fraction.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty shownProperty() { return shown.getReadOnlyProperty(); }
}
