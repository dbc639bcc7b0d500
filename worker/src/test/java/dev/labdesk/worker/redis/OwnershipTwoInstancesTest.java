package dev.labdesk.worker.redis;

import dev.labdesk.worker.Stores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.Caller;
import dev.labdesk.worker.testing.RawMultipart;
import dev.labdesk.worker.testing.SseReader;
import dev.labdesk.worker.testing.TestPrincipals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ownership across two real workers on one real redis-server: what ada uploaded through A, bob
 * cannot see, stream, list or cancel through B, while ada and an admin can.
 */
class OwnershipTwoInstancesTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    @TempDir Path dirA;
    @TempDir Path dirB;
    private Worker a;
    private Worker b;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startWorkers() throws Exception {
        a = new Worker(WorkerConfig.local(dirA).withRedis(redis.url()).withAuth(TestPrincipals.auth())).start();
        b = new Worker(WorkerConfig.local(dirB).withRedis(redis.url()).withAuth(TestPrincipals.auth())).start();
    }

    @AfterEach
    void stopWorkers() {
        a.close();
        b.close();
        http.close();
    }

    private Caller as(String key, Worker w) {
        return new Caller(http, w.baseUrl(), key);
    }

    private static List<String> ids(HttpResponse<String> list) throws Exception {
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        var out = new ArrayList<String>();
        JSON.readTree(list.body()).forEach(s -> out.add(s.get("session_id").asText()));
        return out;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void aSessionAdaUploadedThroughAIsHersOnBToo() throws Exception {
        var accepted = as(TestPrincipals.ADA, a).upload(new RawMultipart().field("name", "Ada on A").field("description", "followed on B")
                .file("plates/day1.csv", "well,od600\nA1,0.12\nA2,0.15\n"));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var id = JSON.readTree(accepted.body()).get("session_id").asText();
        var bobsAccepted = as(TestPrincipals.BOB, b).upload(new RawMultipart().field("name", "Bob on B").field("description", "his own")
                .file("x.csv", "x\n1\n"));
        var bobs = JSON.readTree(bobsAccepted.body()).get("session_id").asText();

        var adaOnB = as(TestPrincipals.ADA, b);
        var bobOnB = as(TestPrincipals.BOB, b);
        var rootOnB = as(TestPrincipals.ROOT, b);
        assertThat(json(adaOnB.get("/sessions/" + id)).get("owner").asText()).isEqualTo("ada");
        assertThat(json(adaOnB.get("/sessions/" + id + "/files")).get(0).get("path").asText()).isEqualTo("plates/day1.csv");
        assertThat(ids(adaOnB.get("/sessions"))).containsExactly(id);
        assertThat(ids(bobOnB.get("/sessions"))).containsExactly(bobs);
        assertThat(ids(rootOnB.get("/sessions"))).contains(id, bobs); // and what other tests of this class left in the shared Redis

        for (var path : List.of("/sessions/" + id, "/sessions/" + id + "/files", "/sessions/" + id + "/report",
                "/sessions/" + id + "/events", "/stream?session_id=" + id)) {
            var r = bobOnB.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(JSON.readTree(r.body()).get("detail").asText()).as(path).doesNotContain("ada");
        }
        var cancel = bobOnB.post("/sessions/" + id + "/cancel");
        assertThat(cancel.statusCode()).isEqualTo(404);

        var statuses = new ArrayList<String>();
        try (var sse = new SseReader(http.send(adaOnB.request("/sessions/" + id + "/events").build(), HttpResponse.BodyHandlers.ofInputStream()).body())) {
            SseReader.Frame f;
            while ((f = sse.next()) != null && !f.event().equals("end"))
                if (f.event().equals("status")) statuses.add(JSON.readTree(f.data()).get("status").asText());
        }
        assertThat(statuses).as("bob's cancel on B stopped nothing on A").containsExactly("queued", "running", "succeeded");
        assertThat(as(TestPrincipals.BOB, a).get("/sessions/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void aSessionStoredBeforeSessionsHadOwnersBelongsToLocal() throws Exception {
        var id = SessionIds.newId();
        var now = Instant.now();
        var info = new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.SUCCEEDED,
                new ExperimentContext("old", "stored by an older worker", null, null, null, List.of(), null), 0, 0, now, now, null, null);
        var legacy = (ObjectNode) JSON.valueToTree(info);
        legacy.remove("owner"); // as a worker from before owners wrote it
        try (var backend = new RedisBackend(redis.url(), Duration.ofSeconds(2), Stores.KEY_PREFIX)) {
            backend.call(c -> c.set(backend.key("session", id), legacy.toString()));
            backend.call(c -> c.zadd(backend.key("sessions"), now.toEpochMilli(), id));
        }

        for (var w : List.of(a, b)) {
            assertThat(as(TestPrincipals.BOB, w).get("/sessions/" + id).statusCode()).isEqualTo(404);
            assertThat(ids(as(TestPrincipals.BOB, w).get("/sessions"))).doesNotContain(id);
            assertThat(json(as(TestPrincipals.ROOT, w).get("/sessions/" + id)).get("owner").asText()).isEqualTo("local");
            assertThat(ids(as(TestPrincipals.ROOT, w).get("/sessions"))).contains(id);
        }
    }
}
