package dev.labdesk.desktop.sessions;

import dev.labdesk.desktop.client.EventStream;
import dev.labdesk.desktop.client.WorkerApi;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.log.LogLevel;
import dev.labdesk.desktop.log.LogLine;
import dev.labdesk.desktop.log.LogViewModel;
import dev.labdesk.desktop.tasks.TaskExecutor;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionStatus;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The session on screen: its live log (every event from the first, replayed by the worker, then
 * live), its status, and its report once the run ended. Opening another session closes this stream.
 * The report, figures and cancelling ask the worker on the {@link TaskExecutor}'s background.
 */
public final class OpenSessionViewModel implements AutoCloseable {
    private static final Pattern FIGURE = Pattern.compile("figures/([a-z0-9]+(?:-[a-z0-9]+)*\\.png)");
    private final Executor ui;
    private final Executor background;
    private final LogViewModel log;
    private final RunProgressViewModel progress;
    private final ReadOnlyStringWrapper sessionId = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<SessionStatus> status = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper report = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final StringBinding logTitle = Bindings.createStringBinding(() -> title.get().isEmpty() ? "Log"
            : "Log — " + title.get() + (status.get() == null ? "" : " · " + status.get().wire()), title, status);
    private Runnable onEnded = () -> {};
    private Consumer<SessionEvent.Status> onStatus = e -> {};
    private WorkerApi client;
    private WorkerApi.Events stream;

    public OpenSessionViewModel(TaskExecutor tasks, LogViewModel log) {
        this.ui = tasks.ui();
        this.background = tasks.background();
        this.log = log;
        this.progress = new RunProgressViewModel(ui);
    }

    /** Called on the UI thread when the open session reaches a terminal status. */
    public void setOnEnded(Runnable onEnded) {
        this.onEnded = onEnded;
    }

    /** Called on the UI thread with each status the open session moves to, just before {@link #statusProperty()} says it. */
    public void setOnStatus(Consumer<SessionEvent.Status> onStatus) {
        this.onStatus = onStatus;
    }

    /** UI thread. */
    public void open(WorkerApi client, String id, String name) {
        close();
        this.client = client;
        log.clear();
        progress.reset(id);
        report.set("");
        status.set(null);
        sessionId.set(id);
        title.set(name == null ? id : name);
        var stream = client.events(id, 0, new EventStream.Listener() {
            @Override public void event(SessionEvent event) {
                // progress goes to the bar, not the log: the agent repeats it every second while a step lasts
                if (event instanceof SessionEvent.Progress p) progress.offer(p);
                else if (event instanceof SessionEvent.Status s) {
                    Runnable seen = () -> statusChanged(id, s);
                    // the caption and the sessions list say it no later than the log's line does…
                    log.offer(LogLine.of(event), seen);
                    // …and on the next UI turn even with no log pane draining (the second of the two does nothing)
                    ui.execute(seen);
                } else log.offer(LogLine.of(event)); // the log pane drains its queue once per pulse
            }
            @Override public void state(EventStream.State state, String detail) {
                ui.execute(() -> {
                    if (id.equals(sessionId.get())) log.setConnection(switch (state) {
                        case LIVE -> "● " + detail;
                        case ENDED -> "run finished — log complete";
                        case CLOSED -> "";
                        default -> detail;
                    });
                });
            }
            @Override public void gap(long after, long firstAvailable) {
                log.offer(new LogLine(firstAvailable - 1, System.currentTimeMillis(), LogLevel.WARN,
                        "events " + (after + 1) + "–" + (firstAvailable - 1) + " are no longer held by the worker"));
            }
        });
        this.stream = stream;
        stream.start();
    }

    /** UI thread. A status only moves forward (queued → running → an end), so a repeated or late one changes nothing. */
    private void statusChanged(String id, SessionEvent.Status event) {
        var s = event.status();
        if (!id.equals(sessionId.get()) || (status.get() != null && !status.get().canMoveTo(s))) return;
        onStatus.accept(event); // before the caption changes: whoever watches the caption finds the list agreeing
        status.set(s);
        if (!s.terminal()) return;
        progress.end();
        var worker = client;
        background.execute(() -> {
            String text;
            try {
                text = worker.report(id);
            } catch (WorkerException e) {
                text = "_No report: " + e.getMessage() + "_";
            }
            var md = text;
            ui.execute(() -> {
                if (!id.equals(sessionId.get())) return;
                report.set(md);
                onEnded.run();
            });
        });
    }

    /**
     * The bytes of a figure the report links ({@code figures/<name>.png}), fetched with the client's key in the
     * background, never on the UI thread; fails for any other link (JavaFX cannot draw the SVGs).
     */
    public CompletableFuture<byte[]> figure(String link) {
        var worker = client;
        var id = sessionId.get();
        var m = FIGURE.matcher(link == null ? "" : link);
        if (worker == null || id.isEmpty() || !m.matches())
            return CompletableFuture.failedFuture(new IllegalArgumentException("not one of the report's figures: " + link));
        var result = new CompletableFuture<byte[]>();
        background.execute(() -> {
            try {
                result.complete(worker.reportFigure(id, m.group(1)));
            } catch (WorkerException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    public void cancel() {
        var worker = client;
        var id = sessionId.get();
        if (worker == null || id.isEmpty()) return;
        background.execute(() -> {
            try {
                worker.cancel(id);
            } catch (WorkerException e) {
                log.offer(new LogLine(0, System.currentTimeMillis(), LogLevel.WARN, "cancel: " + e.getMessage()));
            }
        });
    }

    public LogViewModel log() { return log; }
    public RunProgressViewModel progress() { return progress; }
    public ReadOnlyStringProperty sessionIdProperty() { return sessionId.getReadOnlyProperty(); }
    public ReadOnlyStringProperty titleProperty() { return title.getReadOnlyProperty(); }
    /** The log tab's caption: "Log — Growth curves · running", or "Log" before a session is open. */
    public StringBinding logTitleProperty() { return logTitle; }
    public ReadOnlyObjectProperty<SessionStatus> statusProperty() { return status.getReadOnlyProperty(); }
    /** The agent's report (Markdown), once the run ended. */
    public ReadOnlyStringProperty reportProperty() { return report.getReadOnlyProperty(); }

    @Override
    public void close() {
        if (stream != null) stream.close();
        stream = null;
    }
}
