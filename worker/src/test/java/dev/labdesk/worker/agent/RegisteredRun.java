package dev.labdesk.worker.agent;

import dev.labdesk.worker.session.RunTokens;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A running session of a real worker with a run token, registered the way a launched agent gets
 * one (the store keeps the token's hash), for tests that post to {@code /log} themselves.
 */
public record RegisteredRun(Worker worker, String sessionId, String token) {
    public static RegisteredRun in(Worker worker) {
        return in(worker, UUID.randomUUID().toString());
    }

    /** With a token chosen beforehand (an agent that was started before the worker was up). */
    public static RegisteredRun in(Worker worker, String token) {
        var sessions = worker.sessions();
        var id = SessionIds.newId();
        var now = Instant.now();
        var context = new ExperimentContext("test run", "a session registered by a test", null, null, null, List.of(), null);
        sessions.store().create(new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.QUEUED, context, 0, 0, now, now, null, "local"), List.of());
        sessions.store().transition(id, SessionStatus.RUNNING, null);
        worker.events().append(new SessionEvent.Status(id, 0, now, SessionStatus.RUNNING));
        sessions.store().saveRunToken(id, RunTokens.hash(token));
        return new RegisteredRun(worker, id, token);
    }

    /** Every event of the session so far, in order. */
    public List<SessionEvent> events() throws InterruptedException {
        var out = new ArrayList<SessionEvent>();
        long after = 0;
        while (true) {
            var batch = worker.events().read(sessionId, after, 10_000, java.time.Duration.ZERO);
            if (batch.events().isEmpty()) return out;
            out.addAll(batch.events());
            after = batch.events().getLast().seq();
        }
    }

    /** The session's events of one kind, without the status event the registration appended. */
    public <T extends SessionEvent> List<T> events(Class<T> kind) throws InterruptedException {
        return events().stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
