package dev.labdesk.worker.session;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Limits;
import dev.labdesk.worker.agent.AgentJob;
import dev.labdesk.worker.agent.AgentLauncher;
import dev.labdesk.worker.agent.AgentRun;
import dev.labdesk.worker.agent.AgentRun.AgentExit;
import dev.labdesk.worker.events.EventLog;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.volume.VolumeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A session's life: registered once its volume is committed, then queued → running →
 * succeeded | failed | cancelled as its agent runs. Every status change is also an event,
 * so subscribers see the same story the registry tells. At most {@link Limits#maxAgents()} agents
 * run on this instance at once (each is a JVM here, a paid Sandbox on Modal); the other sessions
 * wait {@code queued} in an {@link AgentQueue}, each told its place in line as it changes.
 */
public final class SessionService {
    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    /**
     * How long the instance running an agent may take to end its session after hearing a cancel from
     * another instance: stopping a process agent takes at most twice its 2 s grace, a sandbox a little more.
     */
    public static final Duration OWNER_GRACE = Duration.ofSeconds(10);
    /** How often an instance looks for runs that outlive their worker and ended with no instance watching. */
    static final Duration ORPHAN_CHECK = Duration.ofSeconds(15);
    /** What a principal at its cap of waiting sessions is told to wait: about one short agent run. */
    static final String ADMISSION_RETRY_AFTER_SECONDS = "30";
    private static final String LOGGER = "labdesk.worker";

    private final SessionStore store;
    private final EventLog events;
    private final VolumeStore volumes;
    private final AgentLauncher launcher;
    private final Supplier<URI> logUrl;
    private final Duration agentTimeout;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, AgentRun> runs = new ConcurrentHashMap<>();
    /** Per running agent, what completes once its session has recorded how the run ended. */
    private final Map<String, CompletableFuture<?>> endings = new ConcurrentHashMap<>();
    /** Threads starting an agent, not yet in {@link #runs}. */
    private final Set<Thread> starting = ConcurrentHashMap.newKeySet();
    private volatile boolean shutDown;
    private final CancelRelay cancels;
    private final Duration ownerGrace;
    private final Limits limits;
    /** Guards {@link #queue}, {@link #agentsHeld} and {@link #placesTold}. */
    private final Object slots = new Object();
    private final AgentQueue queue = new AgentQueue();
    /** Agents started (or starting) and not yet ended: each holds one of {@link Limits#maxAgents()}. */
    private int agentsHeld;
    /** The place in line each waiting session was last told, so it hears again only when it moves. */
    private final Map<String, Integer> placesTold = new HashMap<>();

    public SessionService(SessionStore store, EventLog events, VolumeStore volumes, AgentLauncher launcher,
                          Supplier<URI> logUrl, Duration agentTimeout, Clock clock) {
        this(store, events, volumes, launcher, logUrl, agentTimeout, clock, new SingleWorkerCancels(), OWNER_GRACE);
    }

    public SessionService(SessionStore store, EventLog events, VolumeStore volumes, AgentLauncher launcher,
                          Supplier<URI> logUrl, Duration agentTimeout, Clock clock, CancelRelay cancels, Duration ownerGrace) {
        this(store, events, volumes, launcher, logUrl, agentTimeout, clock, cancels, ownerGrace, Limits.defaults());
    }

    /**
     * @param cancels    how a cancel reaches the instance running the agent (Redis pub/sub when several share sessions)
     * @param ownerGrace how long that instance may take to end the session before the canceller ends it itself
     * @param limits     how many agents run at once, how many sessions one principal may have waiting or running
     */
    public SessionService(SessionStore store, EventLog events, VolumeStore volumes, AgentLauncher launcher,
                          Supplier<URI> logUrl, Duration agentTimeout, Clock clock, CancelRelay cancels, Duration ownerGrace,
                          Limits limits) {
        if (limits.maxAgents() < 1) throw new IllegalArgumentException("maxAgents must be at least 1");
        this.limits = limits;
        this.cancels = cancels;
        this.ownerGrace = ownerGrace;
        this.store = store;
        this.events = events;
        this.volumes = volumes;
        this.launcher = launcher;
        this.logUrl = logUrl;
        this.agentTimeout = agentTimeout;
        this.clock = clock;
        cancels.listen(this::cancelOwnRun);
        if (launcher.runsOutliveWorker()) Thread.ofVirtual().name("orphan-runs").start(this::watchOrphans);
    }

    /**
     * Ends the sessions whose run outlived the worker that launched it (a Sandbox after its container
     * was scaled down) once the run has ended, whichever instance sees it first.
     */
    private void watchOrphans() {
        while (!shutDown) {
            try {
                var orphans = store.list(500).stream()
                        .filter(s -> s.status() == SessionStatus.RUNNING && !runs.containsKey(s.sessionId()))
                        .map(SessionInfo::sessionId).toList();
                if (!orphans.isEmpty())
                    launcher.endedRuns(orphans).forEach((id, exit) -> { if (!runs.containsKey(id)) end(id, null, exit); });
                Thread.sleep(ORPHAN_CHECK);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.warn("could not check for agent runs no instance watches: {}", e.toString());
                try {
                    Thread.sleep(ORPHAN_CHECK);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    public SessionStore store() {
        return store;
    }

    /**
     * Refuses, with a 429 and {@code Retry-After}, an upload from a principal that already has
     * {@link Limits#maxQueuedPerPrincipal()} sessions waiting or running: one principal cannot fill
     * the queue. Called before the upload's first byte is read.
     */
    public void checkAdmission(String owner) {
        int cap = limits.maxQueuedPerPrincipal();
        long active = store.listOwnedBy(owner, Integer.MAX_VALUE).stream().filter(s -> !s.status().terminal()).count();
        if (active >= cap)
            throw ProblemException.of(429, "Too many requests", "you have " + active + " sessions waiting for or running an agent, "
                    + "the most one user may have at once (" + cap + "): upload again once one of them has finished")
                    .withHeader("Retry-After", ADMISSION_RETRY_AFTER_SECONDS);
    }

    /**
     * Registers a session whose volume has just been committed, owned by the principal {@code owner},
     * and queues it for an agent: it starts at once when fewer than {@link Limits#maxAgents()} run.
     */
    public SessionInfo open(String sessionId, String owner, ExperimentContext context, List<FileEntry> manifest) {
        var now = clock.instant();
        long bytes = manifest.stream().mapToLong(FileEntry::size).sum();
        var session = new SessionInfo(sessionId, SessionIds.volumeName(sessionId), SessionStatus.QUEUED, context,
                manifest.size(), bytes, now, now, null, owner);
        store.create(session, manifest);
        events.append(new SessionEvent.Status(sessionId, 0, now, SessionStatus.QUEUED));
        synchronized (slots) {
            if (shutDown) { // the worker is closing: no agent may start writing into its data dir now
                moveTo(sessionId, SessionStatus.CANCELLED, null);
                return session;
            }
            queue.add(session);
            dispatch();
        }
        return session;
    }

    /** Starts the next waiting sessions while agents are free, then tells those still waiting where they stand. */
    private void dispatch() {
        assert Thread.holdsLock(slots);
        while (!shutDown && agentsHeld < limits.maxAgents()) {
            var next = queue.poll();
            if (next.isEmpty()) break;
            placesTold.remove(next.get().sessionId());
            agentsHeld++;
            var start = Thread.ofVirtual().name("agent-start-" + next.get().sessionId()).unstarted(() -> {
                try {
                    launch(next.get());
                } finally {
                    starting.remove(Thread.currentThread());
                }
            });
            starting.add(start);
            start.start();
        }
        tellPlaces();
    }

    /** A log event for each waiting session whose place in line changed since it was last told. */
    private void tellPlaces() {
        int place = 0;
        for (var waiting : queue.order()) {
            place++;
            var id = waiting.sessionId();
            var told = placesTold.put(id, place);
            if (told == null || told != place)
                events.append(new SessionEvent.Log(id, 0, clock.instant(), "INFO", LOGGER,
                        "waiting for an agent: " + ordinal(place) + " in line, " + agentsHeld + " running"));
        }
    }

    /** An agent has ended (or never started): its place goes to the next session in line. */
    private void release() {
        synchronized (slots) {
            agentsHeld--;
            dispatch();
        }
    }

    static String ordinal(int n) {
        int tens = n % 100, units = n % 10;
        var suffix = tens >= 11 && tens <= 13 ? "th" : units == 1 ? "st" : units == 2 ? "nd" : units == 3 ? "rd" : "th";
        return n + suffix;
    }

    private void launch(SessionInfo session) {
        var id = session.sessionId();
        // cancelled while it waited (possibly by another instance), or the worker is closing
        if (shutDown || store.get(id).map(s -> s.status().terminal()).orElse(true)) {
            if (shutDown) moveTo(id, SessionStatus.CANCELLED, null);
            release();
            return;
        }
        var token = RunTokens.mint(random);
        var tokenHash = RunTokens.hash(token);
        store.saveRunToken(id, tokenHash);
        try {
            var job = new AgentJob(id, session.volume(), volumes.localPath(id), session.context(),
                    logUrl.get(), token, agentTimeout);
            var run = launcher.launch(job);
            runs.put(id, run);
            if (moveTo(id, SessionStatus.RUNNING, null).isEmpty()) {
                run.cancel(); // cancelled while it was starting
            }
            var ended = run.exit().whenComplete((exit, failure) -> finish(id, tokenHash,
                    failure != null ? new AgentExit(AgentExit.Kind.FAILED, -1, failure.getMessage()) : exit));
            endings.put(id, ended);
            ended.whenComplete((x, y) -> endings.remove(id, ended));
        } catch (Exception e) {
            log.error("could not start the agent of session {}", id, e);
            finish(id, tokenHash, new AgentExit(AgentExit.Kind.FAILED, -1, "the agent could not be started: " + e.getMessage()));
        }
    }

    private void finish(String id, String tokenHash, AgentExit exit) {
        try {
            end(id, tokenHash, exit);
        } finally {
            release();
        }
    }

    /** Ends the session as its run ended; also for a run another instance launched, which held no place here. */
    private void end(String id, String tokenHash, AgentExit exit) {
        runs.remove(id);
        if (tokenHash != null) store.revokeRunToken(tokenHash); // null: a run another instance launched
        var now = clock.instant();
        switch (exit.kind()) {
            case SUCCEEDED -> moveTo(id, SessionStatus.SUCCEEDED, null);
            case CANCELLED -> moveTo(id, SessionStatus.CANCELLED, null);
            case TIMED_OUT, FAILED -> {
                var code = exit.kind() == AgentExit.Kind.TIMED_OUT ? "agent_timeout" : "agent_failed";
                var current = store.get(id).map(SessionInfo::status).orElse(SessionStatus.FAILED);
                if (!current.terminal()) {
                    events.append(new SessionEvent.Error(id, 0, now, code, exit.detail(), false));
                    moveTo(id, SessionStatus.FAILED, exit.detail());
                }
            }
        }
    }

    /**
     * Cancels a session's agent, wherever it runs, and returns once the session has ended (or could
     * not be): false when the session is unknown or already over. An agent of this instance is stopped
     * here; a queued session is ended before any agent runs (the instance starting it then finds it
     * cancelled and stops what it started). Otherwise the other instances are told, and the one
     * running the agent stops it and ends the session. If none does within {@link #OWNER_GRACE} (or no
     * other instance is alive), the agent's instance is gone with it, and the session is ended here so
     * that it does not stay {@code running} forever.
     */
    public boolean cancel(String sessionId) {
        var session = store.get(sessionId);
        if (session.isEmpty() || session.get().status().terminal()) return false;
        if (cancelOwnRun(sessionId)) return true;
        if (session.get().status() == SessionStatus.QUEUED && moveTo(sessionId, SessionStatus.CANCELLED, null).isPresent()) {
            cancels.tellOthers(sessionId); // the instance it waits on drops it from its queue
            return true;
        }
        long seen = events.lastSeq(sessionId);
        long others = cancels.tellOthers(sessionId);
        if (others > 0 && awaitEnd(sessionId, seen, ownerGrace)) return true;
        if (store.get(sessionId).map(s -> s.status().terminal()).orElse(true)) return true;
        var why = others > 0
                ? "no worker instance stopped this session's agent within " + ownerGrace.toSeconds()
                        + " s of the cancel: the instance running it is gone, and the session was ended without it"
                : "this session's agent runs on no live worker instance (the instance that started it is gone): "
                        + "the session was ended without it";
        events.append(new SessionEvent.Log(sessionId, 0, clock.instant(), "WARN", "labdesk.worker", why));
        try {
            launcher.stop(sessionId); // a Sandbox outlives its worker: stop it from here
        } catch (Exception e) {
            log.warn("could not stop the agent of session {} from this instance: {}", sessionId, e.toString());
        }
        moveTo(sessionId, SessionStatus.CANCELLED, null);
        return true;
    }

    /**
     * Ends the session if it waits in this instance's queue, or stops its agent if that runs here
     * (a cancel from any instance); false if it is neither.
     */
    private boolean cancelOwnRun(String sessionId) {
        synchronized (slots) {
            if (queue.remove(sessionId)) {
                placesTold.remove(sessionId);
                moveTo(sessionId, SessionStatus.CANCELLED, null);
                tellPlaces();
                return true;
            }
        }
        var run = runs.get(sessionId);
        if (run == null) return false;
        run.cancel();
        return true;
    }

    /** Waits, on the session's events, for a terminal status after {@code afterSeq}; false when {@code wait} ran out. */
    private boolean awaitEnd(String sessionId, long afterSeq, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                var batch = events.read(sessionId, afterSeq, 1_000, Duration.ofNanos(left));
                for (var e : batch.events()) {
                    if (e instanceof SessionEvent.Status st && st.status().terminal()) return true;
                    afterSeq = e.seq();
                }
                if (batch.events().isEmpty() && store.get(sessionId).map(s -> s.status().terminal()).orElse(true)) return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Optional<SessionInfo> moveTo(String id, SessionStatus next, String error) {
        var moved = store.transition(id, next, error);
        moved.ifPresent(s -> events.append(new SessionEvent.Status(id, 0, s.updatedAt(), next)));
        return moved;
    }

    /** The session a run token was issued to, with its status: one lookup per log post. */
    public Optional<SessionStore.TokenHolder> tokenHolder(String token) {
        return token == null || token.isBlank() ? Optional.empty() : store.tokenHolder(RunTokens.hash(token));
    }

    /** Ends every waiting session and stops every running agent (worker shutdown). */
    public void shutdown() {
        List<SessionInfo> waiting;
        synchronized (slots) {
            shutDown = true;
            waiting = queue.drain();
            placesTold.clear();
        }
        for (var s : waiting) {
            events.append(new SessionEvent.Log(s.sessionId(), 0, clock.instant(), "WARN", LOGGER,
                    "the worker is shutting down: this session's agent never started"));
            moveTo(s.sessionId(), SessionStatus.CANCELLED, null);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        // an agent being started now is registered in runs once its start returns: wait for those
        for (var t : List.copyOf(starting)) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        var live = List.copyOf(runs.values());
        if (launcher.runsOutliveWorker()) { // a Sandbox goes on without this worker: another instance sees it end
            live.forEach(AgentRun::detach);
            return;
        }
        var ending = List.copyOf(endings.values());
        live.forEach(AgentRun::cancel);
        // Returns once every run has ended and its session says so (bounded): a closed worker must leave
        // nothing writing into its data dir. cancel returns when the agent's process is gone, but its run
        // ends after that, on the run's own thread (its private temp directory removed, its exit recorded).
        for (var end : ending) {
            try {
                end.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // it failed or is still going: nothing more a shutdown can do
            }
        }
    }

    /** Starts the agent of a session still {@code queued} from before a restart ({@link RestartRecovery}). */
    public void resume(SessionInfo session) {
        synchronized (slots) { // through the line like any upload: a restart must not start every queued agent at once
            if (shutDown) return;
            queue.add(session);
            dispatch();
        }
    }

}
