package dev.labdesk.worker.events;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;

import java.time.Instant;
import java.util.List;

/** A session whose log is a line, the agent's error and the final status: what stock EventSource clients read. */
public final class FinishedSessions {
    private FinishedSessions() {}

    /** Seq 1 log, 2 agent_error, 3 status failed; returns the session id. */
    public static String withAgentError(Worker worker) {
        var id = SessionIds.newId();
        var now = Instant.now();
        worker.sessions().store().create(new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.RUNNING,
                new ExperimentContext("sse", "test", null, null, null, null, null), 0, 0, now, now, null, "local"), List.of());
        worker.events().append(new SessionEvent.Log(id, 0, now, "INFO", "agent", "reading plate.csv"));
        worker.events().append(new SessionEvent.Error(id, 0, now, "bad_column", "column od600 is empty", false));
        worker.events().append(new SessionEvent.Status(id, 0, now, SessionStatus.FAILED));
        return id;
    }
}
