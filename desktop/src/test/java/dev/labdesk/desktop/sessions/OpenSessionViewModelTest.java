package dev.labdesk.desktop.sessions;

import dev.labdesk.desktop.client.EventStream;
import dev.labdesk.desktop.client.FakeWorker;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.fx.Listeners;
import dev.labdesk.desktop.log.LogLevel;
import dev.labdesk.desktop.log.LogLine;
import dev.labdesk.desktop.log.LogViewModel;
import dev.labdesk.desktop.tasks.ManualTaskExecutor;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The open session against a worker answered from memory, every task run by hand: log, status, report, figures, cancel. */
class OpenSessionViewModelTest {
    final ManualTaskExecutor tasks = new ManualTaskExecutor();
    final FakeWorker worker = new FakeWorker("http://127.0.0.1:9");
    final LogViewModel log = new LogViewModel(1000, tasks.background());
    final AtomicInteger ended = new AtomicInteger();
    OpenSessionViewModel model;

    @BeforeEach
    void create() {
        model = new OpenSessionViewModel(tasks, log);
        model.setOnEnded(ended::incrementAndGet);
        tasks.watch("status", model.statusProperty());
        tasks.watch("report", model.reportProperty());
        tasks.watch("title", model.titleProperty());
        tasks.watch("connection", log.connectionProperty());
    }

    private static SessionEvent.Status status(String id, long seq, SessionStatus s) {
        return new SessionEvent.Status(id, seq, Instant.EPOCH, s);
    }

    private static SessionEvent.Log line(String id, long seq, String text) {
        return new SessionEvent.Log(id, seq, Instant.EPOCH, "INFO", "agent", text);
    }

    @Test
    void openingASessionStreamsItsEventsFromTheFirstIntoTheLog() {
        assertThat(model.logTitleProperty().get()).as("before any session").isEqualTo("Log");
        tasks.asUi(() -> model.open(worker, "s1", "Growth"));
        var stream = worker.lastStream();
        assertThat(stream.sessionId).isEqualTo("s1");
        assertThat(stream.afterSeq).as("the whole log, replayed").isZero();
        assertThat(stream.isStarted()).isTrue();
        assertThat(model.titleProperty().get()).isEqualTo("Growth");
        assertThat(model.logTitleProperty().get()).isEqualTo("Log — Growth");
        stream.send(status("s1", 1, SessionStatus.RUNNING));
        tasks.runUi();
        assertThat(model.logTitleProperty().get()).isEqualTo("Log — Growth · running");

        stream.send(line("s1", 1, "reading growth.csv"));
        stream.state(EventStream.State.LIVE, "live");
        assertThat(tasks.asUi(log::drain)).isEqualTo(2);
        assertThat(log.snapshot()).extracting(LogLine::text).last().isEqualTo("agent: reading growth.csv");
        tasks.runUi();
        assertThat(log.connectionProperty().get()).isEqualTo("● live");
        assertThat(tasks.offUiWrites()).isEmpty();
    }

    @Test
    void eachStatusReachesTheListenerOnceAndBeforeTheCaptionWhicheverOfLogAndUiTurnComesFirst() {
        var heard = new java.util.ArrayList<String>();
        model.setOnStatus(e -> heard.add(e.status().wire() + " caption " + model.logTitleProperty().get()));
        tasks.asUi(() -> model.open(worker, "s1", "Growth"));
        var stream = worker.lastStream();

        stream.send(status("s1", 1, SessionStatus.QUEUED));
        stream.send(status("s1", 2, SessionStatus.RUNNING));
        tasks.asUi(log::drain); // the log pane's pulse first…
        assertThat(heard).containsExactly("queued caption Log — Growth", "running caption Log — Growth · queued");
        tasks.runUi(); // …then the UI turns, which have nothing left to say
        stream.send(status("s1", 3, SessionStatus.SUCCEEDED));
        tasks.runUi(); // the UI turn first…
        tasks.asUi(log::drain); // …then the pulse
        stream.send(status("s1", 2, SessionStatus.RUNNING)); // late: never backwards
        tasks.runAll();
        tasks.asUi(log::drain);

        assertThat(heard).containsExactly("queued caption Log — Growth", "running caption Log — Growth · queued",
                "succeeded caption Log — Growth · running");
        assertThat(model.statusProperty().get()).isEqualTo(SessionStatus.SUCCEEDED);
        assertThat(worker.calls()).as("one report").containsExactly("report s1");
    }

    @Test
    void aTerminalStatusFetchesTheReportInTheBackgroundAndShowsItOnce() {
        worker.report("s1", "# Growth\n\nAll strains grew.");
        tasks.asUi(() -> model.open(worker, "s1", "Growth"));
        var stream = worker.lastStream();

        stream.send(status("s1", 1, SessionStatus.RUNNING));
        tasks.runAll();
        assertThat(model.statusProperty().get()).isEqualTo(SessionStatus.RUNNING);
        assertThat(worker.calls()).as("no report while the run goes").isEmpty();

        stream.send(status("s1", 2, SessionStatus.SUCCEEDED));
        tasks.runUi();
        assertThat(model.statusProperty().get()).isEqualTo(SessionStatus.SUCCEEDED);
        assertThat(worker.calls()).as("not asked on the UI thread").isEmpty();
        tasks.runBackground();
        assertThat(worker.calls()).containsExactly("report s1");
        assertThat(model.reportProperty().get()).isEmpty();
        tasks.runUi();
        assertThat(model.reportProperty().get()).isEqualTo("# Growth\n\nAll strains grew.");
        assertThat(ended).hasValue(1);
        assertThat(tasks.offUiWrites()).isEmpty();
    }

    @Test
    void aReportTheWorkerCannotGiveSaysWhyInItsPlace() {
        tasks.asUi(() -> model.open(worker, "s1", null));
        assertThat(model.titleProperty().get()).as("a session without a name shows its id").isEqualTo("s1");
        worker.lastStream().send(status("s1", 1, SessionStatus.FAILED));
        tasks.runAll();
        assertThat(model.reportProperty().get()).startsWith("_No report: The worker answered HTTP 404").endsWith("_");
        assertThat(ended).hasValue(1);
    }

    @Test
    void aReportThatArrivesAfterAnotherSessionOpenedIsDropped() {
        worker.report("s1", "# one").report("s2", "# two");
        tasks.asUi(() -> model.open(worker, "s1", "one"));
        var first = worker.lastStream();
        first.send(status("s1", 1, SessionStatus.SUCCEEDED));
        tasks.runUi();
        tasks.runBackground(); // the report of s1 is fetched…

        tasks.asUi(() -> model.open(worker, "s2", "two")); // …while the user opens s2
        assertThat(first.isClosed()).isTrue();
        tasks.runAll();
        assertThat(model.reportProperty().get()).isEmpty();
        assertThat(model.statusProperty().get()).isNull();
        assertThat(ended).as("s1's end is old news").hasValue(0);

        first.send(status("s1", 2, SessionStatus.CANCELLED)); // a closed stream delivers nothing
        worker.lastStream().send(status("s2", 1, SessionStatus.SUCCEEDED));
        tasks.runAll();
        assertThat(model.reportProperty().get()).isEqualTo("# two");
    }

    @Test
    void figuresAreFetchedInTheBackgroundAndOnlyForTheReportsOwnFigureLinks() throws Exception {
        var png = new byte[] {(byte) 0x89, 'P', 'N', 'G'};
        worker.figure("s1", "growth-curve.png", png);
        tasks.asUi(() -> model.open(worker, "s1", "Growth"));

        var figure = tasks.asUi(() -> model.figure("figures/growth-curve.png"));
        assertThat(figure).isNotDone();
        tasks.runBackground();
        assertThat(figure.get(1, TimeUnit.SECONDS)).isEqualTo(png);
        assertThat(worker.calls()).containsExactly("figure s1 growth-curve.png");

        for (var link : new String[] {"../../etc/passwd", "figures/growth-curve.svg", "https://example.org/a.png", "figures/A.png", null}) {
            var refused = tasks.asUi(() -> model.figure(link));
            assertThat(refused).as(link).isCompletedExceptionally();
        }
        assertThat(tasks.pendingBackground()).isZero();

        var missing = tasks.asUi(() -> model.figure("figures/nope.png"));
        tasks.runBackground();
        assertThatThrownBy(() -> missing.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WorkerException.class).hasMessageContaining("404");
    }

    @Test
    void cancelAsksTheWorkerInTheBackgroundAndAFailureGoesToTheLog() {
        tasks.asUi(() -> model.cancel());
        assertThat(tasks.pendingBackground()).as("no session open: nothing to cancel").isZero();

        tasks.asUi(() -> model.open(worker, "s1", "Growth"));
        tasks.asUi(() -> model.cancel());
        assertThat(worker.calls()).isEmpty();
        tasks.runBackground();
        assertThat(worker.calls()).containsExactly("cancel s1");

        worker.failing(WorkerException.status(409, "already finished"));
        tasks.asUi(() -> model.cancel());
        tasks.runBackground();
        tasks.asUi(log::drain);
        assertThat(log.snapshot()).singleElement().satisfies(l -> {
            assertThat(l.level()).isEqualTo(LogLevel.WARN);
            assertThat(l.text()).startsWith("cancel: The worker answered HTTP 409");
        });
    }

    @Test
    void switchingSessionsAHundredTimesKeepsOneStreamOpenAndNoListenerBehind() {
        tasks.asUi(() -> model.open(worker, "s0", "zero"));
        tasks.runAll();
        int before = Listeners.onFieldsOf(model) + Listeners.onFieldsOf(log) + Listeners.onFieldsOf(model.progress());
        assertThat(before).as("the log's filter listens to its own properties").isPositive();

        for (int i = 1; i <= 100; i++) {
            var id = "s" + i;
            tasks.asUi(() -> model.open(worker, id, "session " + id));
            worker.lastStream().send(line(id, 1, "hello " + id));
            worker.lastStream().send(new SessionEvent.Progress(id, 2, Instant.EPOCH, "profiling", 1, 2));
            tasks.runAll();
        }

        assertThat(worker.openStreams()).isEqualTo(1);
        assertThat(worker.streams()).hasSize(101);
        assertThat(Listeners.onFieldsOf(model) + Listeners.onFieldsOf(log) + Listeners.onFieldsOf(model.progress())).isEqualTo(before);
        assertThat(tasks.asUi(log::drain)).as("only the open session's line is left to show").isEqualTo(1);
        assertThat(model.progress().stepProperty().get()).isEqualTo("profiling");
    }
}
