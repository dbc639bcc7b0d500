package dev.labdesk.worker.bench;

import dev.labdesk.worker.session.RunTokens;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerEnv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A real worker for the log benchmarks, plus running sessions with run tokens registered the
 * way a launched agent gets one, so a load script can post to {@code /log} and follow the stream.
 * Usage: {@code BenchWorker ENV_FILE} (configured like the worker, from LABDESK_* variables); ENV_FILE gets
 * {@code SESSION_ID_k} and {@code RUN_TOKEN_k} for k = 1…64, one session for each run of a load script.
 */
public final class BenchWorker {
    /** One fresh session per measured run, so no run replays another's records. */
    static final int SESSIONS = 64;

    public static void main(String[] args) throws Exception {
        var worker = new Worker(WorkerEnv.read(System.getenv(), List.of())).start();
        var sessions = worker.sessions();
        var env = new StringBuilder();
        for (int i = 1; i <= SESSIONS; i++) {
            var id = SessionIds.newId();
            var now = Instant.now();
            var context = new ExperimentContext("bench", "log benchmark", null, null, null, List.of(), null);
            sessions.store().create(new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.QUEUED, context, 0, 0, now, now, null, "local"), List.of());
            sessions.store().transition(id, SessionStatus.RUNNING, null);
            worker.events().append(new SessionEvent.Status(id, 0, now, SessionStatus.RUNNING));
            var token = UUID.randomUUID().toString();
            sessions.store().saveRunToken(id, RunTokens.hash(token));
            env.append("SESSION_ID_").append(i).append('=').append(id).append('\n')
               .append("RUN_TOKEN_").append(i).append('=').append(token).append('\n');
        }
        var tmp = Path.of(args[0] + ".tmp");
        Files.writeString(tmp, env);
        Files.move(tmp, Path.of(args[0]), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(worker::close));
        Thread.currentThread().join();
    }
}
