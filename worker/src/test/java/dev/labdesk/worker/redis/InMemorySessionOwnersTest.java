package dev.labdesk.worker.redis;

import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.session.InMemorySessionStore;
import dev.labdesk.worker.session.SessionStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The owner contract on the single worker's store, and its owner index forgetting expired sessions. */
class InMemorySessionOwnersTest extends SessionOwnersContract {
    @Override
    SessionStore store() {
        return new InMemorySessionStore(Clock.systemUTC());
    }

    @Test
    void anExpiredSessionLeavesItsOwnersList() {
        var now = Instant.parse("2026-12-01T10:00:00Z");
        var clock = new Clock() {
            Instant at = now;
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return at; }
        };
        var store = new InMemorySessionStore(clock, Duration.ofMinutes(10));
        var old = session("ada", now.minusSeconds(60), 5);
        var running = session("ada", now.minusSeconds(30), 7);
        store.create(old, List.of());
        store.create(running, List.of());
        store.transition(old.sessionId(), SessionStatus.RUNNING, null);
        store.transition(old.sessionId(), SessionStatus.SUCCEEDED, null);
        store.transition(running.sessionId(), SessionStatus.RUNNING, null);

        clock.at = now.plus(Duration.ofMinutes(11));
        assertThat(store.expire()).containsExactly(old.sessionId());
        assertThat(store.listOwnedBy("ada", 10)).extracting(SessionInfo::sessionId).containsExactly(running.sessionId());
        assertThat(store.bytesOwnedBy("ada")).isEqualTo(7);
        var later = session("ada", clock.at, 3); // the owner's index still takes new sessions after a purge
        store.create(later, List.of());
        assertThat(store.listOwnedBy("ada", 10)).extracting(SessionInfo::sessionId).containsExactly(later.sessionId(), running.sessionId());
    }
}
