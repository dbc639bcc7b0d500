package dev.labdesk.desktop.shell;

import dev.labdesk.desktop.chat.ChatViewModel;
import dev.labdesk.desktop.client.WorkerAddress;
import dev.labdesk.desktop.client.WorkerApi;
import dev.labdesk.desktop.client.WorkerConnector;
import dev.labdesk.desktop.client.WorkerException;
import dev.labdesk.desktop.embedded.EmbeddedWorker;
import dev.labdesk.desktop.log.LogViewModel;
import dev.labdesk.desktop.sessions.OpenSessionViewModel;
import dev.labdesk.desktop.sessions.SessionListViewModel;
import dev.labdesk.desktop.settings.Settings;
import dev.labdesk.desktop.settings.SettingsStore;
import dev.labdesk.desktop.settings.Theme;
import dev.labdesk.desktop.tasks.TaskExecutor;
import dev.labdesk.desktop.tasks.VirtualThreadTaskExecutor;
import dev.labdesk.desktop.upload.UploadViewModel;
import dev.labdesk.desktop.upload.UploadedDataset;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.UploadAccepted;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.util.Subscription;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The window's state: which worker (embedded or a URL from the settings), its health and model
 * mode for the status bar, and the feature view models wired together — an accepted upload opens
 * its session, a finished run refreshes the session list. Connecting, health checks and every
 * worker call run on the {@link TaskExecutor}'s background; results come back through its UI
 * queue, which it hands to every feature view model. Any 401 from the worker,
 * whichever call, stream or socket got it, raises the {@link Banner.Kind#KEY_REFUSED} banner.
 */
public final class MainViewModel implements AutoCloseable {
    private static final Duration HEALTH_EVERY = Duration.ofSeconds(5);

    private final Executor ui;
    private final TaskExecutor tasks;
    private final WorkerConnector connector;
    private final VirtualThreadTaskExecutor ownedTasks;
    private final Path appData;
    private final SettingsStore store;
    private final ReadOnlyObjectWrapper<Settings> settings = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper worker = new ReadOnlyStringWrapper("starting…");
    private final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper("");
    private final StringBinding healthCaption = Bindings.createStringBinding(() -> health.get().isEmpty() ? "" : "health: " + health.get(), health);
    private final BooleanBinding healthy = Bindings.createBooleanBinding(() -> "healthy".equals(health.get()), health);
    private final ReadOnlyStringWrapper model = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Banner> banner = new ReadOnlyObjectWrapper<>(Banner.NONE);
    private final Consumer<URI> browser;
    private final ReadOnlyBooleanWrapper ready = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper keyRefused = new ReadOnlyBooleanWrapper();
    private final UploadViewModel upload;
    private final LogViewModel log;
    private final OpenSessionViewModel session;
    private final SessionListViewModel sessions;
    private final ChatViewModel chat;
    private final Subscription healthTimer;
    private volatile WorkerApi client;
    private volatile EmbeddedWorker embedded;

    /** On virtual threads of its own, which {@link #close()} stops; reaches workers over HTTP. */
    public MainViewModel(Path appData, Executor ui, Consumer<URI> browser) {
        this(appData, new VirtualThreadTaskExecutor(ui), browser);
    }

    private MainViewModel(Path appData, VirtualThreadTaskExecutor own, Consumer<URI> browser) {
        this(appData, own, browser, WorkerConnector.HTTP, own);
    }

    /**
     * {@code browser} opens a URL in the user's browser (the app passes {@code HostServices::showDocument});
     * {@code connector} makes the client for the worker the settings name.
     */
    public MainViewModel(Path appData, TaskExecutor tasks, Consumer<URI> browser, WorkerConnector connector) {
        this(appData, tasks, browser, connector, null);
    }

    private MainViewModel(Path appData, TaskExecutor tasks, Consumer<URI> browser, WorkerConnector connector, VirtualThreadTaskExecutor owned) {
        this.tasks = tasks;
        this.ui = tasks.ui();
        this.connector = connector;
        this.ownedTasks = owned;
        this.browser = browser;
        this.appData = appData;
        this.store = new SettingsStore(appData);
        this.settings.set(store.load());
        this.log = new LogViewModel(LogViewModel.DEFAULT_CAPACITY, tasks.background());
        this.upload = new UploadViewModel(() -> client, tasks, this::accepted, this::reopen);
        this.session = new OpenSessionViewModel(tasks, log);
        upload.openSessionIdProperty().bind(session.sessionIdProperty());
        this.sessions = new SessionListViewModel(() -> client, tasks);
        this.chat = new ChatViewModel(ui);
        session.setOnEnded(sessions::refresh);
        // the open session's row follows its stream, in the same UI turn as the log's caption and line
        session.setOnStatus(sessions::statusSeen);
        healthTimer = tasks.every(HEALTH_EVERY, () -> {
            checkHealth();
            ui.execute(() -> sessions.refreshWhileOthersRun(session.sessionIdProperty().get()));
        });
    }

    /** Connects as the settings say (starting the embedded worker if no URL is set). Returns at once. */
    public void start() {
        connect(settings.get());
    }

    private void connect(Settings s) {
        ready.set(false);
        worker.set(s.embedded() ? "starting embedded worker…" : "worker " + s.workerUrl());
        tasks.background().execute(() -> {
            try {
                var old = client;
                if (old != null) old.close();
                WorkerAddress address;
                if (s.embedded()) {
                    if (embedded == null) embedded = EmbeddedWorker.start(appData);
                    address = WorkerAddress.of(embedded.baseUrl(), embedded.key());
                } else {
                    var e = embedded;
                    embedded = null;
                    if (e != null) e.close();
                    address = new WorkerAddress(s.workerUri().orElseThrow(), Optional.of(s.apiKey()), Optional.of(s.modalKey()),
                            Optional.of(s.modalSecret()));
                }
                var c = connector.connect(address, () -> keyRefused(address));
                client = c;
                var label = s.embedded() ? "embedded worker · " + address.baseUrl() : "worker " + address.baseUrl();
                ui.execute(() -> {
                    // a refusal of the old key says nothing about the new one; the calls below tell again
                    if (banner.get().kind() == Banner.Kind.KEY_REFUSED) banner.set(Banner.NONE);
                    keyRefused.set(false);
                    worker.set(label);
                    ready.set(true);
                    chat.connect(c, s.userId());
                    sessions.refresh();
                });
                checkHealth();
            } catch (IOException | RuntimeException e) {
                ui.execute(() -> {
                    worker.set(s.embedded() ? "embedded worker failed to start" : "worker " + s.workerUrl());
                    banner.set(Banner.message((s.embedded() ? "Could not start the embedded worker: "
                            : "Could not connect to the worker at " + s.workerUrl() + ": ") + e.getMessage()));
                });
            }
        });
    }

    private void checkHealth() {
        var c = client;
        if (c == null) return;
        try {
            var h = c.health();
            var llm = h.dependencies() == null ? null : h.dependencies().get("llm");
            var mode = llm == null ? "" : "ok".equals(llm.status()) ? llm.detail() : "offline mode";
            ui.execute(() -> {
                health.set(h.status());
                model.set(mode);
                if (banner.get().kind() == Banner.Kind.UNREACHABLE) banner.set(Banner.NONE);
            });
        } catch (WorkerException e) {
            if (e.status() == 401) {
                // a gate in front of the worker (Modal's proxy) refuses even /health; the banner and "key refused" say it
                ui.execute(() -> health.set(""));
                return;
            }
            ui.execute(() -> {
                health.set("unreachable");
                banner.set(new Banner(e.unreachable() ? Banner.Kind.UNREACHABLE : Banner.Kind.MESSAGE, e.getMessage()));
            });
        }
    }

    /** Any thread. Only the client in use may raise the banner: a late 401 to a replaced key is old news. */
    private void keyRefused(WorkerAddress address) {
        ui.execute(() -> {
            var c = client;
            if (c == null || !c.address().equals(address)) return;
            keyRefused.set(true);
            banner.set(Banner.keyRefused(address.baseUrl().toString()));
        });
    }

    /** UI thread. Opens the worker's page in the browser, signed in with the key in use. */
    public void openInBrowser() {
        var c = client;
        if (c == null) {
            banner.set(Banner.message("The worker is not connected yet."));
            return;
        }
        browser.accept(c.address().pageUrl());
    }

    private void accepted(UploadAccepted a) {
        var uploaded = upload.uploadedProperty().get();
        var context = uploaded == null ? null : uploaded.context();
        sessions.accepted(a, context);
        session.open(client, a.sessionId(), context == null ? null : context.name());
    }

    /** UI thread: back to the session of the form's last upload, after the user looked at another. */
    private void reopen(UploadedDataset u) {
        var c = client;
        if (c == null || u.sessionId().equals(session.sessionIdProperty().get())) return;
        session.open(c, u.sessionId(), u.name());
    }

    /** UI thread: reopens a previous session; its log replays from the worker. */
    public void open(SessionInfo s) {
        var c = client;
        if (c == null) return;
        session.open(c, s.sessionId(), s.context() == null ? null : s.context().name());
    }

    /** UI thread. Saves and, when the worker or user changed, reconnects. */
    public void applySettings(Settings next) throws IOException {
        var before = settings.get();
        store.save(next);
        settings.set(next);
        if (!before.sameWorker(next)) {
            session.close();
            connect(next);
        } else if (!before.userId().equals(next.userId()) && client != null) {
            chat.connect(client, next.userId());
        }
    }

    /** UI thread. Switches and keeps the theme; a settings file that cannot be written says so in the banner. */
    public void useTheme(Theme theme) {
        try {
            applySettings(settings.get().withTheme(theme));
        } catch (IOException e) {
            banner.set(Banner.message("Could not save the settings: " + e.getMessage()));
        }
    }

    public void dismissBanner() {
        banner.set(Banner.NONE);
    }

    public void showBanner(String text) {
        banner.set(Banner.message(text));
    }

    /** The worker client in use, once connected. */
    public WorkerApi client() { return client; }
    /** Where this window's work runs; the views' own background work (decoding figures) goes there too. */
    public TaskExecutor tasks() { return tasks; }
    public Optional<EmbeddedWorker> embeddedWorker() { return Optional.ofNullable(embedded); }
    public UploadViewModel upload() { return upload; }
    public LogViewModel log() { return log; }
    public OpenSessionViewModel session() { return session; }
    public SessionListViewModel sessions() { return sessions; }
    public ChatViewModel chat() { return chat; }
    public ReadOnlyObjectProperty<Settings> settingsProperty() { return settings.getReadOnlyProperty(); }
    /** "embedded worker · http://127.0.0.1:41234" or "worker https://…". */
    public ReadOnlyStringProperty workerProperty() { return worker.getReadOnlyProperty(); }
    public ReadOnlyStringProperty healthProperty() { return health.getReadOnlyProperty(); }
    /** The status bar's "health: healthy", empty while unknown. */
    public StringBinding healthCaptionProperty() { return healthCaption; }
    public BooleanBinding healthyProperty() { return healthy; }
    /** "offline mode" or the model the worker uses. */
    public ReadOnlyStringProperty modelProperty() { return model.getReadOnlyProperty(); }
    /** A problem the user can act on, shown above everything until dismissed. */
    public ReadOnlyObjectProperty<Banner> bannerProperty() { return banner.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty readyProperty() { return ready.getReadOnlyProperty(); }
    /** The worker answered 401 to the key in use (stays after the banner is dismissed, until the key changes). */
    public ReadOnlyBooleanProperty keyRefusedProperty() { return keyRefused.getReadOnlyProperty(); }

    @Override
    public void close() {
        healthTimer.unsubscribe();
        chat.close();
        session.close();
        var c = client;
        if (c != null) c.close();
        var e = embedded;
        if (e != null) e.close();
        if (ownedTasks != null) ownedTasks.close();
    }
}
