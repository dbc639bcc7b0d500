package dev.labdesk.worker.redis;

import dev.labdesk.worker.session.RedisSessionStore;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.worker.session.SessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The owner contract on Redis (a per-owner sorted set beside the global one), and its pruning of expired sessions. */
class RedisSessionOwnersTest extends SessionOwnersContract {
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    private final List<RedisBackend> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(RedisBackend::close);
    }

    /** Each store under its own key prefix: the tests share one server. */
    private RedisSessionStore store(Duration ttl) {
        var backend = new RedisBackend(redis.url(), Duration.ofSeconds(2), "test-" + UUID.randomUUID() + ":");
        opened.add(backend);
        return new RedisSessionStore(backend, Json.newMapper(), Clock.systemUTC(), ttl);
    }

    @Override
    SessionStore store() {
        return store(Duration.ofHours(1));
    }

    @Test
    void anExpiredSessionLeavesItsOwnersListAndItsIdIsPrunedFromTheIndex() throws Exception {
        var store = store(Duration.ofMillis(400));
        var gone = session("ada", Instant.now(), 5);
        store.create(gone, List.of());
        assertThat(store.listOwnedBy("ada", 10)).hasSize(1);
        Thread.sleep(500);
        var kept = session("ada", Instant.now(), 7); // a create prunes what is older than the time-to-live
        store.create(kept, List.of());
        assertThat(store.listOwnedBy("ada", 10)).extracting(SessionInfo::sessionId).containsExactly(kept.sessionId());
        assertThat(store.bytesOwnedBy("ada")).isEqualTo(7);
        var backend = opened.getLast();
        List<String> indexed = backend.call(c -> c.zrange(backend.key("sessions", "owner", "ada"), 0, -1));
        assertThat(indexed).containsExactly(kept.sessionId());
    }
}
