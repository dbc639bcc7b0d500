package dev.labdesk.worker.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.agent.ProcessTrees;
import dev.labdesk.worker.events.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a single worker's restart (a crash, {@code kill -9}, an update) leaves to settle, once at start,
 * before requests are served:
 * <ul>
 * <li>A session {@code running} lost its agent's watcher with the old worker: it ends {@code failed},
 *     after an {@code error} event ({@link #ERROR_CODE}) saying the worker restarted, and its run tokens
 *     are revoked.</li>
 * <li>An agent process of such a session that is still alive (a child of the old worker, found by its
 *     command line: {@code --session-id} and {@code --volume} of this data dir) is stopped, not adopted:
 *     the new worker cannot wait for its exit or read its output, its run token was issued by the dead
 *     worker and it posts to the old worker's address, so adopting it would leave a session whose end
 *     nobody sees. Stopping it the way a cancel does (SIGTERM, then SIGKILL after a grace) keeps the
 *     data dir free of writers nobody tracks.</li>
 * <li>A session still {@code queued} never had its agent run: a stray agent started just before the crash
 *     is stopped, and the session is returned to be started again ({@link SessionService#resume}).</li>
 * <li>Run tokens of sessions already ended are revoked (a crash between the end and the revocation).</li>
 * <li>Volumes with no record become sessions ({@link VolumeImport}), but for those of pending resumable
 *     uploads: a pending upload's files are staged apart ({@code volumes/.resumable/}) and stay its own,
 *     and one published just before a crash, with its session never recorded, is taken back by the
 *     upload (its client completes it again) rather than imported.</li>
 * </ul>
 */
public final class RestartRecovery {
    private static final Logger log = LoggerFactory.getLogger(RestartRecovery.class);
    public static final String ERROR_CODE = "worker_restarted";
    public static final String ERROR_MESSAGE = "the worker restarted while this session's agent was running, "
            + "and the run was lost with it: upload the dataset again to analyse it";
    static final Duration GRACE = Duration.ofSeconds(2);

    private final SqliteSessionStore store;
    private final EventLog events;
    private final Path dataDir;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Set<String> pendingUploads;

    /** {@code pendingUploads}: the session ids of the resumable uploads recorded as pending, whose volumes are theirs. */
    public RestartRecovery(SqliteSessionStore store, EventLog events, Path dataDir, ObjectMapper mapper, Clock clock, Set<String> pendingUploads) {
        this.store = store;
        this.events = events;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.mapper = mapper;
        this.clock = clock;
        this.pendingUploads = Set.copyOf(pendingUploads);
    }

    /** What a recovery did, and the sessions it leaves to start again. */
    public record Outcome(List<String> failed, List<Long> agentsStopped, List<SessionInfo> toStart, List<SessionInfo> imported) {}

    public Outcome recover() {
        var running = store.inStatus(SessionStatus.RUNNING);
        var queued = store.inStatus(SessionStatus.QUEUED);
        var agents = agentProcesses();
        var stopped = new ArrayList<Long>();
        var failed = new ArrayList<String>();
        for (var s : running) {
            stopped.addAll(stop(agents.getOrDefault(s.sessionId(), List.of())));
            store.revokeRunTokensOf(s.sessionId());
            events.append(new SessionEvent.Error(s.sessionId(), 0, clock.instant(), ERROR_CODE, ERROR_MESSAGE, false));
            store.transition(s.sessionId(), SessionStatus.FAILED, ERROR_MESSAGE)
                    .ifPresent(moved -> events.append(new SessionEvent.Status(s.sessionId(), 0, moved.updatedAt(), SessionStatus.FAILED)));
            failed.add(s.sessionId());
        }
        for (var s : queued) {
            stopped.addAll(stop(agents.getOrDefault(s.sessionId(), List.of())));
            store.revokeRunTokensOf(s.sessionId());
        }
        store.revokeRunTokensOfEndedSessions();
        var imported = new VolumeImport(store, events, mapper, clock).importAll(dataDir.resolve("volumes"), dataDir.resolve("agents"), pendingUploads);
        if (!failed.isEmpty() || !queued.isEmpty() || !stopped.isEmpty())
            log.warn("restart: {} running session(s) ended failed, {} agent process(es) from before stopped, {} queued session(s) to start",
                    failed.size(), stopped.size(), queued.size());
        return new Outcome(failed, stopped, queued, imported);
    }

    /** Agent processes of this data dir still alive, by session id. */
    Map<String, List<ProcessHandle>> agentProcesses() {
        var volumes = dataDir.resolve("volumes");
        var out = new HashMap<String, List<ProcessHandle>>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> p.info().arguments().ifPresent(args -> {
            String id = null, volume = null;
            for (var a : args) {
                if (a.startsWith("--session-id=")) id = a.substring("--session-id=".length());
                else if (a.startsWith("--volume=")) volume = a.substring("--volume=".length());
            }
            if (id != null && volume != null && SessionIds.valid(id)
                    && Path.of(volume).toAbsolutePath().normalize().equals(volumes.resolve(SessionIds.volumeName(id))))
                out.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
        }));
        return out;
    }

    /** Stops each process as a cancel does: its descendants, then SIGTERM, then SIGKILL after {@link #GRACE}. */
    private static List<Long> stop(List<ProcessHandle> processes) {
        var stopped = new ArrayList<Long>();
        for (var p : processes) {
            ProcessTrees.stop(p, GRACE);
            log.warn("restart: stopped agent process {} left by the previous worker", p.pid());
            stopped.add(p.pid());
        }
        return stopped;
    }
}
