package dev.labdesk.worker.redis;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.session.SessionStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link SessionStore} promises about owners, run against each implementation. */
abstract class SessionOwnersContract {
    /** An empty store keeping sessions for an hour at least. */
    abstract SessionStore store();

    static SessionInfo session(String owner, Instant created, long bytes) {
        var id = SessionIds.newId();
        return new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.QUEUED,
                new ExperimentContext("owned", "by " + owner, null, null, null, List.of(), null), 1, bytes, created, created, null, owner);
    }

    @Test
    void listOwnedByGivesOneOwnersSessionsNewestFirstUpToTheLimit() {
        var store = store();
        var t = Instant.now();
        var ada1 = session("ada", t.minusSeconds(30), 10);
        var bob1 = session("bob", t.minusSeconds(20), 100);
        var ada2 = session("ada", t.minusSeconds(10), 20);
        var ada3 = session("ada", t, 40);
        for (var s : List.of(ada2, bob1, ada3, ada1)) store.create(s, List.of());

        assertThat(store.listOwnedBy("ada", 10)).extracting(SessionInfo::sessionId)
                .containsExactly(ada3.sessionId(), ada2.sessionId(), ada1.sessionId());
        assertThat(store.listOwnedBy("ada", 2)).extracting(SessionInfo::sessionId).containsExactly(ada3.sessionId(), ada2.sessionId());
        assertThat(store.listOwnedBy("bob", 10)).extracting(SessionInfo::sessionId).containsExactly(bob1.sessionId());
        assertThat(store.listOwnedBy("carol", 10)).isEmpty();
        assertThat(store.bytesOwnedBy("ada")).isEqualTo(70);
        assertThat(store.bytesOwnedBy("bob")).isEqualTo(100);
        assertThat(store.bytesOwnedBy("carol")).isZero();
    }

    @Test
    void anOwnersListShowsEachSessionsCurrentStatus() {
        var store = store();
        var s = session("ada", Instant.now(), 1);
        store.create(s, List.of());
        store.transition(s.sessionId(), SessionStatus.RUNNING, null);
        assertThat(store.listOwnedBy("ada", 10)).extracting(SessionInfo::status).containsExactly(SessionStatus.RUNNING);
        assertThat(store.listOwnedBy("ada", 10).getFirst().owner()).isEqualTo("ada");
    }
}
