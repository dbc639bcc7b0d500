package dev.labdesk.worker.upload;

import dev.labdesk.model.ResumableUpload;
import dev.labdesk.worker.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;

import static dev.labdesk.worker.testing.TestBytes.random;
import static dev.labdesk.worker.testing.TestBytes.sha256;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.ADA;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.BOB;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.json;
import static org.assertj.core.api.Assertions.assertThat;

/** A pending resumable upload belongs to the principal that planned it: to anyone else it does not exist. */
class PendingUploadOwnershipTest {
    @TempDir java.nio.file.Path dataDir;
    private TwoPrincipalWorker w;

    @BeforeEach
    void start() throws Exception {
        w = new TwoPrincipalWorker(dataDir, Limits.defaults());
    }

    @AfterEach
    void stop() {
        w.close();
    }

    @Test
    void anotherPrincipalGets404ForEveryRouteOfAPendingUploadAndChangesNothing() throws Exception {
        var data = random(4096, 7);
        var created = json(w.plan(ADA, List.of(new ResumableUpload.PlannedFile("raw/a.bin", data.length, sha256(data)))));
        var id = created.get("upload_id").asText();
        var url = created.get("files").get(0).get("url").asText();
        assertThat(w.patch(ADA, url, 0, java.util.Arrays.copyOf(data, 1000)).statusCode()).isEqualTo(204);

        // bob's answers are the ones for an upload that does not exist at all
        var unknown = "00000000-0000-0000-0000-000000000000";
        assertNotFoundLikeUnknown(w.get(BOB, "/uploads/" + id), w.get(BOB, "/uploads/" + unknown), id, unknown);
        assertNotFoundLikeUnknown(w.complete(BOB, id), w.complete(BOB, unknown), id, unknown);
        assertNotFoundLikeUnknown(w.delete(BOB, "/uploads/" + id), w.delete(BOB, "/uploads/" + unknown), id, unknown);
        assertThat(w.head(BOB, url).statusCode()).isEqualTo(404);
        assertThat(w.patch(BOB, url, 1000, java.util.Arrays.copyOfRange(data, 1000, 2000)).statusCode()).isEqualTo(404);
        var metadata = "upload_id " + b64(id) + ",path " + b64("raw/a.bin");
        var tusCreate = w.send(w.request(BOB, "/tus").header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(data.length))
                .header("Upload-Metadata", metadata).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(tusCreate.statusCode()).isEqualTo(404);
        assertThat(tusCreate.headers().firstValue("Location")).isEmpty();

        // ada's upload is untouched: same offset, and she finishes it
        assertThat(w.offset(ADA, url)).isEqualTo(1000);
        var adaCreate = w.send(w.request(ADA, "/tus").header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(data.length))
                .header("Upload-Metadata", metadata).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(adaCreate.statusCode()).isEqualTo(201);
        assertThat(adaCreate.headers().firstValue("Location")).contains(url);
        assertThat(w.patch(ADA, url, 1000, java.util.Arrays.copyOfRange(data, 1000, data.length)).statusCode()).isEqualTo(204);
        var accepted = w.complete(ADA, id);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var session = json(accepted).get("session_id").asText();
        assertThat(Files.readAllBytes(dataDir.resolve("volumes/dataset-volume-" + session + "/raw/a.bin"))).isEqualTo(data);
    }

    @Test
    void anotherPrincipalCannotAbandonAnUploadItDoesNotOwn() throws Exception {
        var created = json(w.plan(ADA, List.of(new ResumableUpload.PlannedFile("a.bin", 10, null))));
        var id = created.get("upload_id").asText();
        assertThat(w.delete(BOB, "/uploads/" + id).statusCode()).isEqualTo(404);
        assertThat(w.get(ADA, "/uploads/" + id).statusCode()).isEqualTo(200);
        assertThat(w.delete(ADA, "/uploads/" + id).statusCode()).isEqualTo(204);
        assertThat(w.staging()).isEmpty();
    }

    private static void assertNotFoundLikeUnknown(HttpResponse<String> foreign, HttpResponse<String> unknown, String id, String unknownId) throws Exception {
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(foreign).get("detail").asText().replace(id, "ID")).isEqualTo(json(unknown).get("detail").asText().replace(unknownId, "ID"));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
