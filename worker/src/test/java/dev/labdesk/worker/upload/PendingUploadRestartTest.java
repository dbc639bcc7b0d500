package dev.labdesk.worker.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.ResumableUpload;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.labdesk.worker.testing.TestBytes.random;
import static dev.labdesk.worker.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pending resumable uploads across a restart of a single worker on the same data dir: the plan and each
 * file's confirmed offset come back, a part file is cut back to (or its offset lowered to) what was
 * confirmed, and the upload resumes and completes with its SHA-256 checked.
 */
class PendingUploadRestartTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExperimentContext context = new ExperimentContext("Scans", "Across a restart", null, null, null, List.of("imaging"), Map.of("run", 4));
    @TempDir Path dataDir;
    private Worker worker;
    private final TusCalls tus = new TusCalls(http, () -> worker.baseUrl());

    @AfterEach
    void stop() {
        if (worker != null) worker.close();
    }

    private void startWorker() throws Exception {
        if (worker != null) worker.close();
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @Test
    void bytesWrittenPastTheConfirmedOffsetBeforeACrashAreCutAndTheUploadResumesThere() throws Exception {
        startWorker();
        var big = random(700_000, 3);
        var small = random(5_000, 4);
        var created = plan(List.of(new ResumableUpload.PlannedFile("scans/a.bin", big.length, sha256(big)),
                new ResumableUpload.PlannedFile("notes/b.bin", small.length, sha256(small))));
        var bigUrl = created.at("/files/0/url").asText();
        assertThat(tus.patch(bigUrl, 0, Arrays.copyOf(big, 300_000)).headers().firstValue("Upload-Offset")).contains("300000");
        var part = dataDir.resolve("volumes/.resumable/" + created.get("session_id").asText() + "/scans/a.bin");
        worker.close();
        worker = null;
        // what a kill -9 mid-PATCH leaves: bytes on disk that were never confirmed (here, wrong ones)
        Files.write(part, new byte[123_456], StandardOpenOption.APPEND);

        startWorker();
        assertThat(Files.size(part)).as("cut back to the confirmed offset at start").isEqualTo(300_000);
        assertThat(tus.offset(bigUrl)).isEqualTo(300_000);
        var status = JSON.readTree(tus.get("/uploads/" + created.get("upload_id").asText()).body());
        assertThat(status.get("session_id").asText()).isEqualTo(created.get("session_id").asText());
        assertThat(status.get("files")).extracting(f -> f.get("offset").asLong()).containsExactly(300_000L, 0L);
        assertThat(status.get("files")).extracting(f -> f.get("url").asText())
                .containsExactly(bigUrl, created.at("/files/1/url").asText());

        assertThat(tus.patch(bigUrl, 300_000, Arrays.copyOfRange(big, 300_000, big.length)).statusCode()).isEqualTo(204);
        assertThat(tus.patch(created.at("/files/1/url").asText(), 0, small).statusCode()).isEqualTo(204);
        var accepted = tus.complete(created);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var volume = dataDir.resolve("volumes/dataset-volume-" + created.get("session_id").asText());
        assertThat(Files.readAllBytes(volume.resolve("scans/a.bin"))).isEqualTo(big);
        var manifest = JSON.readTree(tus.get("/sessions/" + created.get("session_id").asText() + "/files").body());
        assertThat(manifest).extracting(f -> f.get("sha256").asText()).containsExactlyInAnyOrder(sha256(big), sha256(small));
        var session = JSON.readTree(tus.get("/sessions/" + created.get("session_id").asText()).body());
        assertThat(session.at("/context/name").asText()).isEqualTo("Scans");
        assertThat(session.at("/context/parameters/run").asInt()).isEqualTo(4);
    }

    @Test
    void aPartFileShorterThanItsConfirmedOffsetLowersTheOffsetToWhatIsThere() throws Exception {
        startWorker();
        var bytes = random(400_000, 5);
        var created = plan(List.of(new ResumableUpload.PlannedFile("a.bin", bytes.length, sha256(bytes))));
        var url = created.at("/files/0/url").asText();
        assertThat(tus.patch(url, 0, Arrays.copyOf(bytes, 250_000)).statusCode()).isEqualTo(204);
        var part = dataDir.resolve("volumes/.resumable/" + created.get("session_id").asText() + "/a.bin");
        worker.close();
        worker = null;
        try (var ch = java.nio.channels.FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.truncate(100_000);
        }

        startWorker();
        assertThat(tus.offset(url)).isEqualTo(100_000);
        assertThat(tus.patch(url, 100_000, Arrays.copyOfRange(bytes, 100_000, bytes.length)).statusCode()).isEqualTo(204);
        var accepted = tus.complete(created);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(Files.readAllBytes(dataDir.resolve("volumes/dataset-volume-" + created.get("session_id").asText() + "/a.bin"))).isEqualTo(bytes);
    }

    @Test
    void aPendingUploadIsNeitherImportedAsASessionNorRemovedAtStart() throws Exception {
        startWorker();
        var bytes = random(50_000, 6);
        var created = plan(List.of(new ResumableUpload.PlannedFile("a.bin", bytes.length, sha256(bytes))));
        var sessionId = created.get("session_id").asText();
        assertThat(tus.patch(created.at("/files/0/url").asText(), 0, Arrays.copyOf(bytes, 20_000)).statusCode()).isEqualTo(204);
        worker.close();
        worker = null;

        startWorker();
        assertThat(tus.get("/sessions/" + sessionId).statusCode()).as("not imported as a session").isEqualTo(404);
        assertThat(Files.size(dataDir.resolve("volumes/.resumable/" + sessionId + "/a.bin"))).isEqualTo(20_000);
        assertThat(tus.get("/uploads/" + created.get("upload_id").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void aVolumePublishedJustBeforeACrashWithoutItsSessionIsTakenBackAndCompletedAgain() throws Exception {
        startWorker();
        var bytes = random(60_000, 7);
        var created = plan(List.of(new ResumableUpload.PlannedFile("a.bin", bytes.length, sha256(bytes))));
        var sessionId = created.get("session_id").asText();
        assertThat(tus.patch(created.at("/files/0/url").asText(), 0, bytes).statusCode()).isEqualTo(204);
        worker.close();
        worker = null;
        // the commit's rename happened, the crash came before the session was recorded
        Files.move(dataDir.resolve("volumes/.resumable/" + sessionId), dataDir.resolve("volumes/dataset-volume-" + sessionId));

        startWorker();
        assertThat(tus.get("/uploads/" + created.get("upload_id").asText()).statusCode()).isEqualTo(200);
        var accepted = tus.complete(created);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var session = JSON.readTree(tus.get("/sessions/" + sessionId).body());
        assertThat(session.get("owner").asText()).isEqualTo("local");
        assertThat(session.at("/context/name").asText()).as("the plan's context, not an import's stand-in").isEqualTo("Scans");
        assertThat(JSON.readTree(tus.get("/sessions/" + sessionId + "/files").body()).get(0).get("sha256").asText()).isEqualTo(sha256(bytes));
    }

    @Test
    void anUploadThatExpiredWhileTheWorkerWasDownIsRemovedWithItsFiles() throws Exception {
        startWorker();
        var created = plan(List.of(new ResumableUpload.PlannedFile("a.bin", 10_000, null)));
        var sessionId = created.get("session_id").asText();
        assertThat(tus.patch(created.at("/files/0/url").asText(), 0, new byte[4_000]).statusCode()).isEqualTo(204);
        worker.close();
        worker = null;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("labdesk.db")); var s = c.createStatement()) {
            s.executeUpdate("UPDATE pending_uploads SET expires_at = 0");
        }

        startWorker();
        assertThat(tus.get("/uploads/" + created.get("upload_id").asText()).statusCode()).isEqualTo(404);
        assertThat(dataDir.resolve("volumes/.resumable/" + sessionId)).doesNotExist();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("labdesk.db")); var s = c.createStatement();
             var rs = s.executeQuery("SELECT (SELECT count(*) FROM pending_uploads) + (SELECT count(*) FROM pending_files)")) {
            assertThat(rs.getLong(1)).as("no record left").isZero();
        }
    }

    private JsonNode plan(List<ResumableUpload.PlannedFile> files) throws Exception {
        return tus.plan(new ResumableUpload.Request(context, files));
    }
}
