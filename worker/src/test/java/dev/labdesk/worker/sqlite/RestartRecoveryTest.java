package dev.labdesk.worker.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.session.SqliteSessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a worker finds on its data dir at start: volumes without a record, and sessions still queued. */
class RestartRecoveryTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir Path data;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void volumesFromBeforeAreListedAsImportedSessionsWithTheirReportsOnce() throws Exception {
        var done = SessionIds.newId();
        var unfinished = SessionIds.newId();
        var doneDir = Files.createDirectories(data.resolve("volumes").resolve(SessionIds.volumeName(done)));
        Files.writeString(doneDir.resolve("plate.csv"), "well,od\nA1,0.1\n");
        Files.createDirectories(doneDir.resolve("results"));
        Files.writeString(doneDir.resolve("results/report.md"), "# Report\n\nplate.csv: 1 row\n");
        Files.createDirectories(data.resolve("agents").resolve(done));
        Files.writeString(data.resolve("agents").resolve(done).resolve("context.json"),
                "{\"name\":\"Plate run\",\"description\":\"the one from last week\",\"tags\":[\"od\"]}");
        var unfinishedDir = Files.createDirectories(data.resolve("volumes").resolve(SessionIds.volumeName(unfinished)));
        Files.writeString(unfinishedDir.resolve("x.tsv"), "a\tb\n1\t2\n");
        Files.createDirectories(data.resolve("volumes").resolve("not-a-volume"));

        List<JsonNode> listed;
        try (var worker = new Worker(WorkerConfig.local(data)).start()) {
            listed = list(worker.baseUrl());
            assertThat(listed).extracting(s -> s.get("session_id").asText()).containsExactlyInAnyOrder(done, unfinished);
            var imported = listed.stream().filter(s -> s.get("session_id").asText().equals(done)).findFirst().orElseThrow();
            assertThat(imported.get("status").asText()).isEqualTo("succeeded");
            assertThat(imported.get("owner").asText()).isEqualTo("local");
            assertThat(imported.at("/context/name").asText()).isEqualTo("Plate run");
            assertThat(get(worker.baseUrl(), "/sessions/" + done + "/report")).contains("plate.csv: 1 row");
            var files = JSON.readTree(get(worker.baseUrl(), "/sessions/" + done + "/files"));
            assertThat(files).singleElement().satisfies(f -> {
                assertThat(f.get("path").asText()).isEqualTo("plate.csv");
                assertThat(f.get("size").asLong()).isEqualTo(15);
            });
            var other = JSON.readTree(get(worker.baseUrl(), "/sessions/" + unfinished));
            assertThat(other.get("status").asText()).isEqualTo("failed");
            assertThat(other.get("error").asText()).contains("without a report");
            assertThat(other.at("/context/name").asText()).contains(SessionIds.volumeName(unfinished));
        }
        try (var worker = new Worker(WorkerConfig.local(data)).start()) {
            assertThat(list(worker.baseUrl())).as("imported once, then known").hasSize(2)
                    .extracting(s -> s.get("created_at").asText()).containsExactlyElementsOf(listed.stream().map(s -> s.get("created_at").asText()).toList());
        }
    }

    @Test
    void aSessionStillQueuedAtTheRestartRunsItsAgent() throws Exception {
        var id = SessionIds.newId();
        var volume = Files.createDirectories(data.resolve("volumes").resolve(SessionIds.volumeName(id)));
        Files.writeString(volume.resolve("growth.csv"), "hour,od\n0,0.05\n1,0.09\n2,0.17\n");
        try (var db = Database.open(data)) {
            var now = Instant.now();
            new SqliteSessionStore(db, JSON, Clock.systemUTC()).create(new SessionInfo(id, SessionIds.volumeName(id), SessionStatus.QUEUED,
                    new ExperimentContext("Queued", "queued when the worker stopped", null, null, null, List.of(), null), 1, 30, now, now,
                    null, "local"), List.of(new FileEntry("growth.csv", 30, "0".repeat(64))));
        }
        try (var worker = new Worker(WorkerConfig.local(data)).start()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> JSON.readTree(get(worker.baseUrl(), "/sessions/" + id)).get("status").asText().equals("succeeded"));
            assertThat(get(worker.baseUrl(), "/sessions/" + id + "/report")).contains("growth.csv");
        }
    }

    private List<JsonNode> list(URI base) throws Exception {
        var out = new ArrayList<JsonNode>();
        var body = JSON.readTree(get(base, "/sessions"));
        (body.isArray() ? body : body.path("sessions")).forEach(out::add);
        return out;
    }

    private String get(URI base, String path) throws Exception {
        var r = http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
