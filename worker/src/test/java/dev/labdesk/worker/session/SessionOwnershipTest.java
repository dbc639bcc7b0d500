package dev.labdesk.worker.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionIds;
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
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session is its creator's: over real HTTP, with sessions created by real uploads of two
 * principals, the other one gets exactly the 404 of an unknown id everywhere, and an admin sees all.
 */
class SessionOwnershipTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir Path dataDir;
    private Worker worker;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private Caller ada;
    private Caller bob;
    private Caller root;

    @BeforeEach
    void start() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir).withAuth(TestPrincipals.auth())).start();
        ada = new Caller(http, worker.baseUrl(), TestPrincipals.ADA);
        bob = new Caller(http, worker.baseUrl(), TestPrincipals.BOB);
        root = new Caller(http, worker.baseUrl(), TestPrincipals.ROOT);
    }

    @AfterEach
    void stop() {
        worker.close();
        http.close();
    }

    static String upload(Caller who, String name, int tables) throws Exception {
        var body = new RawMultipart().field("name", name).field("description", "owned by whoever uploaded it");
        for (int i = 0; i < tables; i++) body.file("data/t" + i + ".csv", "x,y\n" + i + "," + (i * 2) + "\n");
        var r = who.upload(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("session_id").asText();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> ids(HttpResponse<String> list) throws Exception {
        var out = new ArrayList<String>();
        json(list).forEach(s -> out.add(s.get("session_id").asText()));
        return out;
    }

    private SessionStatus status(Caller who, String id) throws Exception {
        return SessionStatus.fromWire(json(who.get("/sessions/" + id)).get("status").asText());
    }

    /** The answer {@code who} gets for {@code path} naming {@code id}, next to the one for an id nobody has. */
    private static void assertLikeUnknown(Caller who, String path, String id, boolean post) throws Exception {
        var unknownId = SessionIds.newId();
        var theirs = post ? who.post(path.formatted(id)) : who.get(path.formatted(id));
        var unknown = post ? who.post(path.formatted(unknownId)) : who.get(path.formatted(unknownId));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(theirs.statusCode()).as(path + ": " + theirs.body()).isEqualTo(404);
        assertThat(theirs.headers().firstValue("Content-Type")).isEqualTo(unknown.headers().firstValue("Content-Type"));
        assertThat(theirs.body()).isEqualTo(unknown.body().replace(unknownId, id)); // the same words: nothing tells it exists
    }

    @Test
    void anotherPrincipalListsOnlyItsOwnSessionsAndAnAdminListsAll() throws Exception {
        var adas = upload(ada, "Ada's plates", 1);
        var bobs = upload(bob, "Bob's plates", 1);

        assertThat(ids(bob.get("/sessions"))).containsExactly(bobs);
        assertThat(ids(ada.get("/sessions"))).containsExactly(adas);
        assertThat(ids(root.get("/sessions"))).containsExactlyInAnyOrder(adas, bobs);
        assertThat(json(ada.get("/sessions/" + adas)).get("owner").asText()).isEqualTo("ada");
        assertThat(json(root.get("/sessions/" + adas)).get("owner").asText()).isEqualTo("ada");
        assertThat(json(root.get("/sessions/" + adas + "/files")).get(0).get("path").asText()).isEqualTo("data/t0.csv");
    }

    @Test
    void anotherPrincipalGets404ForTheSessionItsFilesItsReportAndItsEvents() throws Exception {
        var id = upload(ada, "Ada's plates", 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> status(ada, id).terminal());
        assertThat(status(ada, id)).isEqualTo(SessionStatus.SUCCEEDED);
        assertThat(ada.get("/sessions/" + id + "/report").statusCode()).isEqualTo(200);
        assertThat(json(ada.get("/sessions/" + id + "/files"))).hasSize(1);

        assertLikeUnknown(bob, "/sessions/%s", id, false);
        assertLikeUnknown(bob, "/sessions/%s/files", id, false);
        assertLikeUnknown(bob, "/sessions/%s/report", id, false);
        assertLikeUnknown(bob, "/sessions/%s/events", id, false);
        assertLikeUnknown(bob, "/stream?session_id=%s", id, false);
        assertLikeUnknown(bob, "/sessions/%s/cancel", id, true);

        try (var sse = new SseReader(http.send(ada.request("/sessions/" + id + "/events").build(), HttpResponse.BodyHandlers.ofInputStream()).body())) {
            assertThat(sse.next().event()).as("ada still streams her session").isEqualTo("status");
        }
    }

    @Test
    void anotherPrincipalsCancelIs404AndTheOwnersSessionRunsOnToItsEnd() throws Exception {
        var id = upload(ada, "A long run", 200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> status(ada, id) != SessionStatus.QUEUED);

        assertLikeUnknown(bob, "/sessions/%s/cancel", id, true);
        assertThat(status(ada, id)).isIn(SessionStatus.RUNNING, SessionStatus.SUCCEEDED);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> status(ada, id).terminal());
        assertThat(status(ada, id)).as("bob's cancel stopped nothing").isEqualTo(SessionStatus.SUCCEEDED);
        var statuses = new ArrayList<String>();
        try (var sse = new SseReader(http.send(ada.request("/sessions/" + id + "/events").build(), HttpResponse.BodyHandlers.ofInputStream()).body())) {
            SseReader.Frame f;
            while ((f = sse.next()) != null && !f.event().equals("end"))
                if (f.event().equals("status")) statuses.add(JSON.readTree(f.data()).get("status").asText());
        }
        assertThat(statuses).containsExactly("queued", "running", "succeeded");
    }

    @Test
    void theOwnerAndAnAdminMayCancel() throws Exception {
        var byAda = upload(ada, "Cancelled by ada", 200); // cancelled at once: its agent's JVM is still starting
        var byRoot = upload(ada, "Cancelled by root", 200);
        assertThat(ada.post("/sessions/" + byAda + "/cancel").statusCode()).as("answered with the ended session").isEqualTo(200);
        assertThat(root.post("/sessions/" + byRoot + "/cancel").statusCode()).isEqualTo(200);
        for (var id : List.of(byAda, byRoot)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> status(ada, id).terminal());
            assertThat(status(ada, id)).isEqualTo(SessionStatus.CANCELLED);
        }
    }
}
