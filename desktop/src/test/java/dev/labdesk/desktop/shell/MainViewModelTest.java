package dev.labdesk.desktop.shell;

import dev.labdesk.desktop.client.FakeWorker;
import dev.labdesk.desktop.client.LocalFile;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.settings.Settings;
import dev.labdesk.desktop.settings.SettingsStore;
import dev.labdesk.desktop.settings.Theme;
import dev.labdesk.desktop.tasks.ManualTaskExecutor;
import dev.labdesk.model.ContextField;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.model.Health;
import dev.labdesk.model.UploadAccepted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window's state against workers answered from memory, every task and timer run by hand:
 * connecting, health, the typed banner, settings. The real app: {@code DesktopAppTest} and the other shell tests.
 */
class MainViewModelTest {
    static final String URL = "http://127.0.0.1:9";
    static final Health HEALTHY = new Health("healthy", "test", Map.of("llm", new Health.Dependency("ok", "gpt-test")));

    @TempDir Path appData;
    final ManualTaskExecutor tasks = new ManualTaskExecutor();
    /** Every client the view model made, with the 401 callback it gave each. */
    final List<FakeWorker> workers = new ArrayList<>();
    final List<Runnable> refusals = new ArrayList<>();
    final List<URI> opened = new ArrayList<>();
    MainViewModel model;

    @BeforeEach
    void create() throws IOException {
        new SettingsStore(appData).save(new Settings(URL, "key-1", "", "", "ada", Theme.LIGHT));
        model = new MainViewModel(appData, tasks, opened::add, (address, refused) -> {
            var w = new FakeWorker(address).health(HEALTHY);
            workers.add(w);
            refusals.add(refused);
            return w;
        });
        tasks.watch("worker", model.workerProperty());
        tasks.watch("health", model.healthProperty());
        tasks.watch("model", model.modelProperty());
        tasks.watch("banner", model.bannerProperty());
        tasks.watch("ready", model.readyProperty());
        tasks.watch("keyRefused", model.keyRefusedProperty());
    }

    @AfterEach
    void noWritesOffTheUiThread() {
        model.close();
        assertThat(tasks.offUiWrites()).isEmpty();
    }

    private FakeWorker connected() {
        tasks.asUi(model::start);
        tasks.runAll();
        return workers.getLast();
    }

    @Test
    void startConnectsInTheBackgroundThenShowsTheWorkerItsHealthAndModel() {
        tasks.asUi(model::start);
        assertThat(model.workerProperty().get()).isEqualTo("worker " + URL);
        assertThat(model.readyProperty().get()).isFalse();
        assertThat(workers).as("no client made on the UI thread").isEmpty();

        tasks.runBackground();
        assertThat(workers).singleElement().satisfies(w -> {
            assertThat(w.address().baseUrl()).isEqualTo(URI.create(URL));
            assertThat(w.address().apiKey()).contains("key-1");
            assertThat(w.calls()).containsExactly("health");
        });
        assertThat(model.readyProperty().get()).isFalse();

        tasks.runAll();
        var worker = workers.getFirst();
        assertThat(model.readyProperty().get()).isTrue();
        assertThat(model.workerProperty().get()).isEqualTo("worker " + URL);
        assertThat(model.healthProperty().get()).isEqualTo("healthy");
        assertThat(model.healthCaptionProperty().get()).isEqualTo("health: healthy");
        assertThat(model.healthyProperty().get()).isTrue();
        assertThat(model.modelProperty().get()).isEqualTo("gpt-test");
        assertThat(model.bannerProperty().get()).isEqualTo(Banner.NONE);
        assertThat(worker.calls()).as("the session list is asked for once connected").contains("sessions");
        assertThat(worker.chats()).singleElement().satisfies(c -> {
            assertThat(c.userId).isEqualTo("ada");
            assertThat(c.isStarted()).isTrue();
        });
    }

    @Test
    void healthIsCheckedEveryFiveSecondsAndAWorkerWithoutTheModelSaysOfflineMode() {
        var worker = connected();
        int asked = worker.calls().size();
        tasks.advance(Duration.ofSeconds(4));
        tasks.runAll();
        assertThat(worker.calls()).hasSize(asked);

        worker.health(new Health("healthy", "test", Map.of("llm", new Health.Dependency("down", "no key"))));
        tasks.advance(Duration.ofSeconds(1));
        tasks.runAll();
        assertThat(worker.calls()).hasSize(asked + 1).last().isEqualTo("health");
        assertThat(model.modelProperty().get()).isEqualTo("offline mode");
    }

    @Test
    void anUnreachableWorkerRaisesTheUnreachableBannerAndTheNextHealthyCheckClearsIt() {
        var worker = connected();
        worker.failing(WorkerException.unreachable(URL, new IOException("Connection refused")));
        tasks.advance(Duration.ofSeconds(5));
        tasks.runAll();
        assertThat(model.bannerProperty().get().kind()).isEqualTo(Banner.Kind.UNREACHABLE);
        assertThat(model.bannerProperty().get().text()).contains("127.0.0.1:9 is unreachable (Connection refused)");
        assertThat(model.healthProperty().get()).isEqualTo("unreachable");
        assertThat(model.healthCaptionProperty().get()).isEqualTo("health: unreachable");
        assertThat(model.healthyProperty().get()).isFalse();

        worker.failing(null);
        tasks.advance(Duration.ofSeconds(5));
        tasks.runAll();
        assertThat(model.bannerProperty().get()).isEqualTo(Banner.NONE);
        assertThat(model.healthProperty().get()).isEqualTo("healthy");
    }

    @Test
    void aMessageBannerOutlivesHealthyChecksUntilDismissed() {
        connected();
        tasks.asUi(() -> model.showBanner("Could not save the log"));
        tasks.advance(Duration.ofSeconds(5));
        tasks.runAll();
        assertThat(model.bannerProperty().get()).isEqualTo(Banner.message("Could not save the log"));
        tasks.asUi(model::dismissBanner);
        assertThat(model.bannerProperty().get().shown()).isFalse();
    }

    @Test
    void aRefusedKeyRaisesTheKeyRefusedBannerAndANewKeyClearsItWhileTheOldClientsLate401IsIgnored() throws IOException {
        var first = connected();
        refusals.getFirst().run(); // as an OkHttp thread reports a 401
        assertThat(model.keyRefusedProperty().get()).as("only through the UI queue").isFalse();
        tasks.runUi();
        assertThat(model.bannerProperty().get().kind()).isEqualTo(Banner.Kind.KEY_REFUSED);
        assertThat(model.bannerProperty().get().text()).contains(URL);
        assertThat(model.keyRefusedProperty().get()).isTrue();

        tasks.asUi(model::dismissBanner);
        assertThat(model.keyRefusedProperty().get()).as("the status bar keeps saying it").isTrue();

        var next = new Settings(URL, "key-2", "", "", "ada", Theme.LIGHT);
        tasks.asUi(() -> {
            try {
                model.applySettings(next);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        tasks.runAll();
        assertThat(first.closed()).isTrue();
        assertThat(workers).hasSize(2);
        assertThat(workers.getLast().address().apiKey()).contains("key-2");
        assertThat(model.keyRefusedProperty().get()).isFalse();

        refusals.getFirst().run(); // a late 401 to the old key
        tasks.runUi();
        assertThat(model.bannerProperty().get()).isEqualTo(Banner.NONE);
        assertThat(model.keyRefusedProperty().get()).isFalse();
        assertThat(new SettingsStore(appData).load().apiKey()).isEqualTo("key-2");
    }

    @Test
    void changingOnlyTheUserReconnectsTheChatNotTheWorker() throws IOException {
        var worker = connected();
        tasks.asUi(() -> {
            try {
                model.applySettings(new Settings(URL, "key-1", "", "", "grace", Theme.LIGHT));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        tasks.runAll();
        assertThat(workers).hasSize(1);
        assertThat(worker.chats()).extracting(c -> c.userId).containsExactly("ada", "grace");
        assertThat(worker.chats().getFirst().isClosed()).isTrue();
    }

    @Test
    void anAcceptedUploadOpensItsSessionAndRefreshesTheList() throws IOException {
        var worker = connected();
        var file = Files.writeString(appData.resolve("a.csv"), "x\n1\n");
        int listsBefore = (int) worker.calls().stream().filter("sessions"::equals).count();
        tasks.asUi(() -> {
            model.upload().addFiles(List.of(new LocalFile(file, "a.csv", 4)));
            model.upload().field(ContextField.NAME).set("Growth");
            model.upload().field(ContextField.DESCRIPTION).set("OD600");
            model.upload().upload();
        });
        worker.lastUpload().accept(new UploadAccepted("s1", "dataset-volume-s1", "/sessions/s1/events", 1, 4));
        tasks.runBackground(); // the upload ends…
        tasks.runUi(); // …and is accepted on the UI side, the list not asked yet
        assertThat(model.sessions().sessions()).as("listed at once, before the worker's list answers").singleElement()
                .extracting(SessionInfo::sessionId, SessionInfo::status).containsExactly("s1", SessionStatus.QUEUED);
        tasks.runAll();

        assertThat(model.session().sessionIdProperty().get()).isEqualTo("s1");
        assertThat(model.session().titleProperty().get()).isEqualTo("Growth");
        assertThat(worker.lastStream().sessionId).isEqualTo("s1");
        assertThat(worker.lastStream().isStarted()).isTrue();
        assertThat(worker.calls().stream().filter("sessions"::equals).count()).isEqualTo(listsBefore + 1);
    }

    @Test
    void theOpenSessionsRowFollowsItsStreamWithoutAskingTheWorker() {
        var worker = connected();
        var queued = session("s1", SessionStatus.QUEUED);
        worker.sessions(List.of(queued));
        tasks.asUi(() -> model.sessions().refresh());
        tasks.runAll();
        tasks.asUi(() -> model.open(queued));
        long lists = worker.calls().stream().filter("sessions"::equals).count();

        worker.lastStream().send(new SessionEvent.Status("s1", 1, Instant.EPOCH, SessionStatus.QUEUED));
        worker.lastStream().send(new SessionEvent.Status("s1", 2, Instant.EPOCH, SessionStatus.RUNNING));
        tasks.runAll();
        assertThat(model.session().statusProperty().get()).isEqualTo(SessionStatus.RUNNING);
        assertThat(model.sessions().sessions()).singleElement().extracting(SessionInfo::status).isEqualTo(SessionStatus.RUNNING);
        assertThat(worker.calls().stream().filter("sessions"::equals).count()).as("the event carried it").isEqualTo(lists);

        tasks.advance(Duration.ofSeconds(5));
        tasks.runAll();
        assertThat(worker.calls().stream().filter("sessions"::equals).count())
                .as("the only running session is the one watched: the health tick does not ask for the list").isEqualTo(lists);
    }

    @Test
    void whileASessionNobodyWatchesMayStillChangeTheHealthTickAsksForTheList() {
        var worker = connected();
        worker.sessions(List.of(session("s2", SessionStatus.RUNNING), session("s1", SessionStatus.SUCCEEDED)));
        tasks.asUi(() -> model.sessions().refresh());
        tasks.runAll();
        tasks.asUi(() -> model.open(session("s1", SessionStatus.SUCCEEDED)));
        long lists = worker.calls().stream().filter("sessions"::equals).count();

        worker.sessions(List.of(session("s2", SessionStatus.SUCCEEDED), session("s1", SessionStatus.SUCCEEDED)));
        tasks.advance(Duration.ofSeconds(5));
        tasks.runAll();
        assertThat(worker.calls().stream().filter("sessions"::equals).count()).isEqualTo(lists + 1);
        assertThat(model.sessions().sessions()).extracting(SessionInfo::status).containsOnly(SessionStatus.SUCCEEDED);

        tasks.advance(Duration.ofSeconds(5));
        tasks.runAll();
        assertThat(worker.calls().stream().filter("sessions"::equals).count()).as("all ended: nothing more to ask").isEqualTo(lists + 1);
    }

    private static SessionInfo session(String id, SessionStatus status) {
        var context = new ExperimentContext("n " + id, "d", null, null, null, List.of(), Map.of());
        return new SessionInfo(id, "dataset-volume-" + id, status, context, 1, 10, Instant.EPOCH, Instant.EPOCH, null, "local");
    }

    @Test
    void theThemeIsKeptAndASettingsFileThatCannotBeWrittenSaysSoInTheBanner() throws IOException {
        connected();
        tasks.asUi(() -> model.useTheme(Theme.DARK));
        assertThat(model.settingsProperty().get().theme()).isEqualTo(Theme.DARK);
        assertThat(new SettingsStore(appData).load().theme()).isEqualTo(Theme.DARK);
        assertThat(workers).as("a theme is not a reason to reconnect").hasSize(1);

        var store = new SettingsStore(appData).file();
        Files.delete(store);
        Files.createDirectories(store.resolve("in-the-way"));
        tasks.asUi(() -> model.useTheme(Theme.LIGHT));
        assertThat(model.bannerProperty().get().kind()).isEqualTo(Banner.Kind.MESSAGE);
        assertThat(model.bannerProperty().get().text()).startsWith("Could not save the settings: ");
    }

    @Test
    void openInBrowserUsesTheConnectedWorkersPageAndBeforeThatSaysItIsNotConnected() {
        tasks.asUi(model::openInBrowser);
        assertThat(opened).isEmpty();
        assertThat(model.bannerProperty().get()).isEqualTo(Banner.message("The worker is not connected yet."));

        var worker = connected();
        tasks.asUi(model::openInBrowser);
        assertThat(opened).containsExactly(worker.address().pageUrl());
    }

    @Test
    void closeStopsTheHealthTimerAndLetsGoOfTheWorker() {
        var worker = connected();
        assertThat(tasks.activeTimers()).isEqualTo(1);
        tasks.asUi(model::close);
        assertThat(tasks.activeTimers()).isZero();
        assertThat(worker.closed()).isTrue();
        assertThat(worker.chats().getFirst().isClosed()).isTrue();
        int asked = worker.calls().size();
        tasks.advance(Duration.ofSeconds(30));
        tasks.runAll();
        assertThat(worker.calls()).hasSize(asked);
    }

    @Test
    void aWorkerThatCannotBeConnectedToSaysSoInTheBannerWithItsAddressNotAsAnEmbeddedWorker() {
        model.close();
        model = new MainViewModel(appData, tasks, opened::add, (address, refused) -> {
            throw new IllegalArgumentException("bad address " + address.baseUrl());
        });
        tasks.watch("banner2", model.bannerProperty());
        tasks.asUi(model::start);
        tasks.runAll();
        assertThat(model.readyProperty().get()).isFalse();
        assertThat(model.bannerProperty().get().kind()).isEqualTo(Banner.Kind.MESSAGE);
        assertThat(model.bannerProperty().get().text()).isEqualTo("Could not connect to the worker at " + URL + ": bad address " + URL);
        assertThat(model.workerProperty().get()).isEqualTo("worker " + URL);
    }
}
