package dev.labdesk.worker;

import io.javalin.config.RoutesConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.worker.agent.AgentLauncher;
import dev.labdesk.worker.agent.ProcessAgentLauncher;
import dev.labdesk.worker.auth.AuthFilter;
import dev.labdesk.worker.auth.AuthRoutes;
import dev.labdesk.worker.auth.AuthSettings;
import dev.labdesk.worker.auth.DataDirSecrets;
import dev.labdesk.worker.auth.Keyring;
import dev.labdesk.worker.auth.RequestGuard;
import dev.labdesk.worker.auth.SessionCookies;
import dev.labdesk.worker.chat.ChatModule;
import dev.labdesk.worker.events.EventLog;
import dev.labdesk.worker.events.stream.EventRoutes;
import dev.labdesk.worker.events.ingest.LogRoutes;
import dev.labdesk.worker.http.FrontDoor;
import dev.labdesk.worker.http.HealthRoutes;
import dev.labdesk.worker.http.HttpMethods;
import dev.labdesk.worker.http.PageRoutes;
import dev.labdesk.worker.http.Problems;
import dev.labdesk.worker.modal.ModalBridge;
import dev.labdesk.worker.modal.ModalRoutes;
import dev.labdesk.worker.modal.ModalSandboxLauncher;
import dev.labdesk.worker.modal.ModalVolumeStore;
import dev.labdesk.worker.redis.RedisRoutes;
import dev.labdesk.worker.sqlite.SqliteStores;
import dev.labdesk.worker.sqlite.StoreRoutes;
import dev.labdesk.worker.telemetry.Telemetry;
import dev.labdesk.worker.telemetry.TelemetryRoutes;
import dev.labdesk.worker.telemetry.TracedLauncher;
import dev.labdesk.worker.session.ReportFigureRoutes;
import dev.labdesk.worker.session.RestartRecovery;
import dev.labdesk.worker.session.SessionRoutes;
import dev.labdesk.worker.session.SessionService;
import dev.labdesk.worker.session.SessionStore;
import dev.labdesk.worker.upload.PendingUploadStore;
import dev.labdesk.worker.upload.ResumableRoutes;
import dev.labdesk.worker.upload.ResumableUploads;
import dev.labdesk.worker.upload.UnrecordedPendingUploads;
import dev.labdesk.worker.upload.UnknownUploads;
import dev.labdesk.worker.upload.UploadRoutes;
import dev.labdesk.worker.volume.LocalVolumeStore;
import dev.labdesk.worker.volume.VolumeStore;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One worker: its stores, its agent launcher and its HTTP routes, started on one port.
 * The same class serves {@code java -jar labdesk-worker.jar}, the desktop's embedded worker and tests.
 */
public final class Worker implements AutoCloseable {
    /** Events kept per session in memory; older ones are reported as a gap to late readers. */
    static final int EVENTS_RETAINED_PER_SESSION = 200_000;
    private static final int SOCKET_READ_BUFFER = 64 * 1024;

    /** How many events of one session a late reader can still replay (older ones are a resync). */
    public static int eventsRetainedPerSession() {
        return EVENTS_RETAINED_PER_SESSION;
    }

    private final WorkerConfig config;
    private final ObjectMapper mapper;
    private final Clock clock = Clock.systemUTC();
    private final FrontDoor door;
    private final VolumeStore volumes;
    private final SessionStore sessionStore;
    private final EventLog events;
    private final AgentLauncher launcher;
    private final SessionService sessions;
    private final ResumableUploads resumable;
    private final ChatModule chat;
    private final Javalin app;
    private final Stores stores;
    private final Telemetry telemetry;
    private volatile URI baseUrl;
    /** The data dir's generated key in TOKEN mode, for the one log line that links the signed-in page. */
    private final String localToken;
    private final List<SessionInfo> toResume;

    /** A worker that binds its port when started. */
    public Worker(WorkerConfig config) throws IOException {
        this(config, null);
    }

    /**
     * A worker that serves on {@code door}'s socket (already bound, see {@link FrontDoor}): the door
     * answers /health as soon as what it reports on is built, which is why that comes first here,
     * before Jackson, logging, Javalin and Jetty; {@link #start()} hands the socket over to Jetty.
     */
    public Worker(WorkerConfig config, FrontDoor door) throws IOException {
        this.config = config;
        this.door = door;
        DataDirSecrets.secureDir(config.dataDir()); // 0700: volumes, database and secrets below it are the worker user's alone
        // before /health can say "healthy": a client that waits for it may read the token next
        var keyring = Keyring.of(config.auth(), config.dataDir());
        var cookies = new SessionCookies(cookieSecret(config), keyring, clock);
        this.localToken = config.auth().mode() == AuthSettings.Mode.TOKEN
                ? DataDirSecrets.readOrCreate(config.dataDir(), DataDirSecrets.TOKEN_FILE) : null;
        boolean modalUsed = config.volumes() == WorkerConfig.VolumesKind.MODAL || config.agent() == WorkerConfig.AgentKind.MODAL;
        // the Modal bridge reads JSON lines: with Modal in use the mapper is needed before /health can be answered
        var early = modalUsed ? Json.newMapper() : null;
        var localVolumes = new LocalVolumeStore(config.dataDir().resolve("volumes"));
        var modal = modalUsed ? new ModalBridge(config.scale().modalBridge(), early) : null;
        this.volumes = config.volumes() == WorkerConfig.VolumesKind.MODAL ? new ModalVolumeStore(localVolumes, modal) : localVolumes;
        var redis = Stores.backend(config); // Redis when REDIS_URL is set
        this.telemetry = Telemetry.from(config); // a no-op without LOGFIRE_TOKEN / OTEL_EXPORTER_OTLP_ENDPOINT
        this.launcher = new TracedLauncher(config.agent() == WorkerConfig.AgentKind.MODAL
                ? new ModalSandboxLauncher(config, modal, early) : new ProcessAgentLauncher(config), telemetry.tracer());
        var health = new HealthRoutes(config, volumes, launcher, () -> Stores.health(redis), telemetry::health);
        // the door checks no credentials: it answers what a stranger would get from /health
        if (door != null) door.serveHealth(config.auth().mode() == AuthSettings.Mode.NONE ? health::check : () -> HealthRoutes.statusOnly(health.check()));

        this.mapper = early != null ? early : Json.newMapper();
        this.stores = Stores.of(config, redis, mapper, clock);
        this.sessionStore = stores.sessions();
        this.events = stores.events();
        this.sessions = new SessionService(sessionStore, events, volumes, launcher,
                () -> config.publicUrl().orElse(baseUrl).resolve("/log"), config.agentTimeout(), clock,
                stores.cancels(), SessionService.OWNER_GRACE, config.limits()); // a cancel reaches the instance running the agent
        PendingUploadStore pendingUploads = stores.sqlite().<PendingUploadStore>map(SqliteStores::uploads).orElseGet(UnrecordedPendingUploads::new);
        this.toResume = stores.sqlite().map(db -> new RestartRecovery(db.sessions(), events, config.dataDir(), mapper, clock,
                        db.uploads().all().stream().map(PendingUploadStore.UploadRecord::sessionId).collect(Collectors.toSet())).recover().toStart())
                .orElse(List.of()); // runs cut by a restart end failed; queued ones start once the worker listens

        this.resumable = new ResumableUploads(volumes, sessions, clock, config.limits(), pendingUploads); // takes back pending uploads
        this.chat = ChatModule.create(config, mapper, clock, stores.conversations(), stores.chat(), telemetry.tracer());

        var problems = new Problems(mapper);
        var routeSets = new RouteSet[] {
                problems::register,
                HttpMethods::register,
                new RequestGuard(config.auth(), problems)::register,
                new AuthFilter(config.auth(), keyring, cookies, problems)::register,
                new AuthRoutes(config.auth(), keyring, cookies, mapper)::register,
                health::register,
                // the agents' log sink first: Javalin tries routes in this order, one regular expression each
                new LogRoutes(sessions, events, stores.logBatches(), mapper, clock)::register,
                new TelemetryRoutes(telemetry.tracer())::register,
                new RedisRoutes(problems)::register,
                new UnknownUploads(problems, resumable, config.redisUrl().isPresent())::register,
                new StoreRoutes(problems)::register,
                new ModalRoutes(problems)::register,
                new PageRoutes()::register,
                new UploadRoutes(volumes, sessions, resumable.budget(), mapper, clock)::register,
                new ResumableRoutes(resumable, mapper)::register,
                new SessionRoutes(sessions, volumes, events, mapper)::register,
                new ReportFigureRoutes(sessions, volumes)::register,
                new EventRoutes(sessions, events, mapper, config.limits())::register,
                chat::register,
        };
        this.app = Javalin.create(cfg -> {
            cfg.jsonMapper(new JavalinJackson(mapper, true));
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = Long.MAX_VALUE; // uploads are streamed and bounded by their own limits
            cfg.http.prefer405over404 = true; // a path that exists with another method: 405 with Allow
            cfg.jetty.modifyServletContextHandler(HttpMethods::noServletSessions);
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            if (door != null) cfg.jetty.addConnector((server, http) -> {
                var connector = new ServerConnector(server, new HttpConnectionFactory(http)) {
                    @Override
                    protected void doStart() throws Exception {
                        door.stopAccepting(); // before Jetty's acceptor takes the channel's accept lock
                        super.doStart();
                    }
                };
                try {
                    connector.open(door.channel()); // the door's socket: it was bound first
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return connector;
            });
            for (var set : routeSets) set.register(cfg.routes);
        });
        HttpMethods.addHeads(app.unsafe.internalRouter);
        problems.registerMethodNotAllowed(app.unsafe.internalRouter);
    }

    /** LABDESK_SESSION_SECRET, or the data dir's own (made once); unused without credentials. */
    private static String cookieSecret(WorkerConfig config) throws IOException {
        if (config.auth().cookieSecret().isPresent()) return config.auth().cookieSecret().get();
        if (config.auth().mode() == AuthSettings.Mode.NONE) return DataDirSecrets.newKey();
        return DataDirSecrets.readOrCreate(config.dataDir(), DataDirSecrets.COOKIE_SECRET_FILE);
    }

    @FunctionalInterface
    private interface RouteSet {
        void register(RoutesConfig routes);
    }

    public Worker start() {
        try {
            app.start();
        } catch (RuntimeException e) {
            if (door != null) door.close();
            throw e;
        }
        if (door != null) door.handOver(); // Jetty accepts now: the door's held requests go to it
        // Jetty reads 8 KiB per socket read by default; uploads arrive in far larger pieces. Past
        // 64 KiB its buffer pool stops pooling, and every read would allocate native memory.
        for (var connector : app.jettyServer().server().getConnectors()) {
            var http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) http.setInputBufferSize(SOCKET_READ_BUFFER);
            // the upload's own idle cut answers 408 with a reason; Jetty's must not come first and drop it mute
            if (connector instanceof ServerConnector sc)
                sc.setIdleTimeout(Math.max(sc.getIdleTimeout(), config.limits().uploadIdleTimeout().plusSeconds(5).toMillis()));
        }
        var host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        baseUrl = URI.create("http://" + host + ":" + app.port());
        toResume.forEach(sessions::resume);
        var log = LoggerFactory.getLogger(Worker.class);
        log.info("Labdesk worker listening on {} (volumes: {}, agent: {}, model: {})", baseUrl, volumes.kind(),
                launcher.kind(), config.llmEnabled() ? config.openaiModel() : "offline");
        switch (config.auth().mode()) {
            case TOKEN -> log.info("Open {}/?token={} to sign in (the key is in {})", config.publicUrl().orElse(baseUrl),
                    localToken, config.dataDir().resolve(DataDirSecrets.TOKEN_FILE));
            case NONE -> log.warn("LABDESK_AUTH=none: credentials are off, anyone who can reach {} acts as the user 'local'", baseUrl);
            case KEYS -> log.info("{} API key(s) configured", config.auth().keys().size());
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    /** The address clients reach this worker at, e.g. {@code http://127.0.0.1:8000}. */
    public URI baseUrl() {
        return baseUrl;
    }

    public WorkerConfig config() {
        return config;
    }

    public SessionService sessions() {
        return sessions;
    }

    public EventLog events() {
        return events;
    }

    /** The chat: its mode (llm or offline) for /health, its conversations. */
    public ChatModule chat() {
        return chat;
    }

    @Override
    public void close() {
        chat.close();
        sessions.shutdown();
        resumable.close();
        app.stop();
        if (door != null) door.close(); // Jetty closed the socket if it ever took it over
        stores.close();
        telemetry.close();
    }
}
