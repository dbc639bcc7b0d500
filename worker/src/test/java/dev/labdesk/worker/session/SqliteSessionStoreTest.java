package dev.labdesk.worker.session;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.sqlite.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sessions in the database: what the registry promises, answered by indexed queries, kept across a reopen. */
class SqliteSessionStoreTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00.123456Z");
    @TempDir Path data;

    private static SessionInfo session(String owner, int minute, long bytes) {
        var id = SessionIds.newId();
        var at = T.plusSeconds(60L * minute);
        return new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.QUEUED,
                new ExperimentContext("run " + minute, "a run", "goals", null, "ada@example.org", List.of("a", "b"), Map.of("t", 37)),
                1, bytes, at, at, null, owner);
    }

    @Test
    void aSessionWhoseInfoHasNoOwnerIsItsRowsOwnersEvenWhenItsFormHasAnOwnerKey() {
        var plain = session(null, 1, 5);
        var tricky = new SessionInfo(SessionIds.newId(), "v", SessionStatus.QUEUED,
                new ExperimentContext("run", "a run", null, null, null, List.of(), Map.of("owner", "mallory")), 1, 5, T, T, null, null);
        try (var db = Database.open(data)) {
            var store = new SqliteSessionStore(db, Json.newMapper(), Clock.systemUTC());
            store.create(plain, List.of(new FileEntry("a.csv", 1, "ab".repeat(32))));
            store.create(tricky, List.of());
            // as a session of schema v1 whose owner column says whose it is
            db.write(h -> h.update("UPDATE sessions SET owner = 'bob' WHERE id IN (?, ?)", plain.sessionId(), tricky.sessionId()));
            assertThat(store.get(plain.sessionId())).map(SessionInfo::owner).contains("bob");
            assertThat(store.get(tricky.sessionId())).map(SessionInfo::owner).contains("bob");
            assertThat(store.list(10)).extracting(SessionInfo::owner).containsExactly("bob", "bob");
            assertThat(store.listOwnedBy("bob", 10)).extracting(SessionInfo::sessionId).containsExactlyInAnyOrder(plain.sessionId(), tricky.sessionId());
            assertThat(store.transition(tricky.sessionId(), SessionStatus.RUNNING, null)).map(SessionInfo::owner).contains("bob");
        }
    }

    @Test
    void whatALogPostChecksFollowsEveryWriteAtOnceWithoutAReopen() {
        var run = session("ada", 1, 10);
        var other = session("ada", 2, 10);
        try (var db = Database.open(data)) {
            var store = new SqliteSessionStore(db, Json.newMapper(), Clock.systemUTC());
            store.create(run, List.of());
            store.create(other, List.of());
            store.saveRunToken(run.sessionId(), "a".repeat(64));
            store.saveRunToken(other.sessionId(), "b".repeat(64));
            assertThat(store.tokenHolder("a".repeat(64))).contains(new SessionStore.TokenHolder(run.sessionId(), SessionStatus.QUEUED));
            store.transition(run.sessionId(), SessionStatus.RUNNING, null);
            assertThat(store.tokenHolder("a".repeat(64))).contains(new SessionStore.TokenHolder(run.sessionId(), SessionStatus.RUNNING));
            assertThat(store.transition(run.sessionId(), SessionStatus.QUEUED, null)).as("no way back").isEmpty();
            assertThat(store.status(run.sessionId())).contains(SessionStatus.RUNNING);

            store.transition(run.sessionId(), SessionStatus.SUCCEEDED, null);
            assertThat(store.revokeRunTokensOfEndedSessions()).isEqualTo(1);
            assertThat(store.tokenHolder("a".repeat(64))).isEmpty();
            assertThat(store.tokenHolder("b".repeat(64))).isPresent();
            assertThat(store.revokeRunTokensOf(other.sessionId())).isEqualTo(1);
            assertThat(store.sessionForToken("b".repeat(64))).isEmpty();

            assertThat(store.expire(Instant.now().plusSeconds(60))).containsExactly(run.sessionId());
            assertThat(store.status(run.sessionId())).isEmpty();
            assertThat(store.status(other.sessionId())).contains(SessionStatus.QUEUED);
        }
    }

    @Test
    void sessionsTheirManifestsOwnersAndTokensAreKeptAcrossAReopen() {
        var ada1 = session("ada", 1, 100);
        var bob = session("bob", 2, 7);
        var ada2 = session("ada", 3, 20);
        var manifest = List.of(new FileEntry("plates/a.csv", 100, "ab".repeat(32)));
        try (var db = Database.open(data)) {
            var store = new SqliteSessionStore(db, Json.newMapper(), Clock.systemUTC());
            for (var s : List.of(ada1, bob, ada2)) store.create(s, s == ada1 ? manifest : List.of());
            assertThatThrownBy(() -> store.create(ada1, List.of())).hasMessageContaining("exists already");
            assertThat(store.transition(ada1.sessionId(), SessionStatus.RUNNING, null)).isPresent();
            assertThat(store.transition(ada1.sessionId(), SessionStatus.FAILED, "it broke")).isPresent();
            assertThat(store.transition(ada1.sessionId(), SessionStatus.SUCCEEDED, null)).as("already terminal").isEmpty();
            assertThat(store.transition(SessionIds.newId(), SessionStatus.RUNNING, null)).isEmpty();
            store.saveRunToken(ada2.sessionId(), "f".repeat(64));
            store.saveRunToken(bob.sessionId(), "e".repeat(64));
            store.revokeRunToken("e".repeat(64));
        }
        try (var db = Database.open(data)) {
            var store = new SqliteSessionStore(db, Json.newMapper(), Clock.systemUTC());
            assertThat(store.get(ada2.sessionId())).contains(ada2);
            var failed = store.get(ada1.sessionId()).orElseThrow();
            assertThat(failed.status()).isEqualTo(SessionStatus.FAILED);
            assertThat(failed.error()).isEqualTo("it broke");
            assertThat(failed.context()).isEqualTo(ada1.context());
            assertThat(store.manifest(ada1.sessionId())).isEqualTo(manifest);
            assertThat(store.manifest(SessionIds.newId())).isEmpty();
            assertThat(store.list(10)).extracting(SessionInfo::sessionId).containsExactly(ada2.sessionId(), bob.sessionId(), ada1.sessionId());
            assertThat(store.list(1)).extracting(SessionInfo::sessionId).containsExactly(ada2.sessionId());
            assertThat(store.listOwnedBy("ada", 10)).extracting(SessionInfo::sessionId).containsExactly(ada2.sessionId(), ada1.sessionId());
            assertThat(store.listOwnedBy("nobody", 10)).isEmpty();
            assertThat(store.bytesOwnedBy("ada")).isEqualTo(120);
            assertThat(store.bytesOwnedBy("nobody")).isZero();
            assertThat(store.status(ada1.sessionId())).contains(SessionStatus.FAILED);
            assertThat(store.status(ada2.sessionId())).contains(SessionStatus.QUEUED);
            assertThat(store.status(SessionIds.newId())).isEmpty();
            assertThat(store.sessionForToken("f".repeat(64))).contains(ada2.sessionId());
            assertThat(store.sessionForToken("e".repeat(64))).isEmpty();
            assertThat(store.tokenHolder("f".repeat(64))).contains(new SessionStore.TokenHolder(ada2.sessionId(), SessionStatus.QUEUED));
            assertThat(store.tokenHolder("e".repeat(64))).isEmpty();
            store.transition(ada2.sessionId(), SessionStatus.RUNNING, null);
            assertThat(store.tokenHolder("f".repeat(64))).contains(new SessionStore.TokenHolder(ada2.sessionId(), SessionStatus.RUNNING));
        }
    }

    @Test
    void listsAndQuotasByOwnerAreAnsweredFromTheOwnersIndex() {
        try (var db = Database.open(data)) {
            var plans = new ArrayList<String>();
            for (var sql : List.of("SELECT info, owner FROM sessions WHERE owner = 'ada' ORDER BY created_at DESC, id LIMIT 10",
                    "SELECT sum(bytes) FROM sessions WHERE owner = 'ada'")) {
                plans.add(db.read(h -> {
                    var out = new StringBuilder();
                    try (var s = h.connection().createStatement(); var rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
                        while (rs.next()) out.append(rs.getString("detail")).append('\n');
                    }
                    return out.toString();
                }));
            }
            assertThat(plans).allSatisfy(p -> assertThat(p).contains("USING INDEX sessions_by_owner").doesNotContain("SCAN sessions\n"));
        }
    }

    @Test
    void finishedSessionsUnchangedForTheRetentionTimeGoWithTheirEventsRunningOnesStay() {
        try (var db = Database.open(data)) {
            var store = new SqliteSessionStore(db, Json.newMapper(), Clock.fixed(T, java.time.ZoneOffset.UTC));
            var done = session("ada", 0, 1);
            var running = session("ada", 0, 1);
            store.create(done, List.of());
            store.create(running, List.of());
            store.transition(done.sessionId(), SessionStatus.SUCCEEDED, null);
            store.transition(running.sessionId(), SessionStatus.RUNNING, null);
            assertThat(store.expire(T.plusSeconds(1))).containsExactly(done.sessionId());
            assertThat(store.get(done.sessionId())).isEmpty();
            assertThat(store.get(running.sessionId())).isPresent();
        }
    }
}
