package dev.labdesk.worker.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.Json;
import dev.labdesk.model.Problem;
import dev.labdesk.model.ResumableUpload;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.DataDirs;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.labdesk.worker.testing.TestBytes.random;
import static dev.labdesk.worker.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Chunked, resumable uploads: our plan endpoints plus tus 1.0, over real HTTP. */
class ResumableUploadTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir Path dataDir;
    private Worker worker;
    private final HttpClient http = HttpClient.newHttpClient();
    private final TusCalls tus = new TusCalls(http, () -> worker.baseUrl());
    private final ExperimentContext context = new ExperimentContext("Big scans", "Microscope stacks", null, null, null, List.of("imaging"), null);

    @BeforeEach
    void start() throws IOException {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void cutConnectionResumesFromTheConfirmedOffsetAndTheVolumeIsIntact() throws Exception {
        var big = random(3 * 1024 * 1024 + 17, 1);
        var small = "x,y\n1,2\n".getBytes(StandardCharsets.UTF_8);
        var created = tus.plan(new ResumableUpload.Request(context, List.of(
                new ResumableUpload.PlannedFile("stacks/z 01 (é).tif", big.length, sha256(big)),
                new ResumableUpload.PlannedFile("meta/empty.txt", 0, sha256(new byte[0])),
                new ResumableUpload.PlannedFile("meta/axes.csv", small.length, sha256(small)))));
        var bigUrl = created.get("files").get(0).get("url").asText();

        assertThat(tus.patch(bigUrl, 0, Arrays.copyOfRange(big, 0, 1024 * 1024)).statusCode()).isEqualTo(204);
        // a PATCH announcing 1 MiB whose connection dies after 300 KiB
        try (var socket = new Socket("127.0.0.1", worker.port())) {
            var out = socket.getOutputStream();
            out.write(("PATCH " + bigUrl + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 1048576\r\n"
                    + "Content-Type: application/offset+octet-stream\r\nContent-Length: 1048576\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(big, 1024 * 1024, 300 * 1024);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> tus.offset(bigUrl) > 1024 * 1024);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> patchFree(bigUrl));
        long resumeAt = tus.offset(bigUrl);
        assertThat(resumeAt).isBetween(1024L * 1024 + 1, 1024L * 1024 + 300 * 1024);
        assertThat(tus.patch(bigUrl, resumeAt, Arrays.copyOfRange(big, (int) resumeAt, big.length)).headers()
                .firstValue("Upload-Offset")).contains(Long.toString(big.length));
        assertThat(tus.patch(created.get("files").get(2).get("url").asText(), 0, small).statusCode()).isEqualTo(204);

        var status = JSON.readTree(tus.get("/uploads/" + created.get("upload_id").asText()).body());
        assertThat(status.get("files").get(0).get("offset").asLong()).isEqualTo(big.length);
        var accepted = tus.complete(created);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var body = JSON.readTree(accepted.body());
        assertThat(body.get("session_id").asText()).isEqualTo(created.get("session_id").asText());
        assertThat(body.get("files").asInt()).isEqualTo(3);
        var volume = dataDir.resolve("volumes/dataset-volume-" + body.get("session_id").asText());
        assertThat(Files.readAllBytes(volume.resolve("stacks/z 01 (é).tif"))).isEqualTo(big);
        assertThat(Files.size(volume.resolve("meta/empty.txt"))).isZero();
        var manifest = JSON.readTree(tus.get("/sessions/" + body.get("session_id").asText() + "/files").body());
        assertThat(manifest.get(0).get("sha256").asText()).isEqualTo(sha256(big));
    }

    @Test
    void aBodyCutShortGetsARetryable409AndTheBytesBeforeAreKept() throws Exception {
        var data = random(512 * 1024, 3);
        var created = tus.plan(new ResumableUpload.Request(context, List.of(
                new ResumableUpload.PlannedFile("cut.bin", data.length, sha256(data)))));
        var url = created.get("files").get(0).get("url").asText();
        String response;
        // the client stops sending mid-body but still reads: what a proxy dropping one direction looks like
        try (var socket = new Socket("127.0.0.1", worker.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("PATCH " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
                    + "Content-Type: application/offset+octet-stream\r\nContent-Length: " + data.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(data, 0, 100 * 1024);
            out.flush();
            socket.shutdownOutput();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        // tus-js-client retries only 409, 423 and non-4xx statuses; a 422 here would end the upload for good
        assertThat(response).startsWith("HTTP/1.1 409");
        assertThat(response).containsIgnoringCase("content-type: application/problem+json");
        assertThat(response).contains("ask HEAD for the offset and resume");
        await().atMost(Duration.ofSeconds(10)).until(() -> patchFree(url));
        long kept = tus.offset(url);
        assertThat(kept).isBetween(0L, 100L * 1024);
        assertThat(tus.patch(url, kept, Arrays.copyOfRange(data, (int) kept, data.length)).headers()
                .firstValue("Upload-Offset")).contains(Long.toString(data.length));
        assertThat(tus.complete(created).statusCode()).isEqualTo(202);
    }

    @Test
    void aRealTusClientUploadsInChunks() throws Exception {
        var data = random(2 * 1024 * 1024 + 5, 2);
        var created = tus.plan(new ResumableUpload.Request(context, List.of(new ResumableUpload.PlannedFile("raw/run 1.bin", data.length, sha256(data)))));
        var client = new TusClient();
        client.setUploadCreationURL(URI.create(worker.baseUrl() + "/tus").toURL());
        var upload = new TusUpload();
        upload.setInputStream(new ByteArrayInputStream(data));
        upload.setSize(data.length);
        upload.setFingerprint("run-1");
        upload.setMetadata(Map.of("upload_id", created.get("upload_id").asText(), "path", "raw/run 1.bin"));
        var uploader = client.createUpload(upload);
        uploader.setChunkSize(256 * 1024);
        uploader.setRequestPayloadSize(512 * 1024); // several PATCH requests
        int requests = 0;
        while (uploader.uploadChunk() > -1) requests++;
        uploader.finish();
        assertThat(requests).isGreaterThan(4);
        assertThat(uploader.getOffset()).isEqualTo(data.length);
        var accepted = tus.complete(created);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var volume = dataDir.resolve("volumes/dataset-volume-" + created.get("session_id").asText());
        assertThat(Files.readAllBytes(volume.resolve("raw/run 1.bin"))).isEqualTo(data);
    }

    @Test
    void aCorruptedFileIsRefusedAtCompletionAndStartsOver() throws Exception {
        var data = random(10_000, 3);
        var created = tus.plan(new ResumableUpload.Request(context, List.of(new ResumableUpload.PlannedFile("a.bin", data.length, sha256(data)))));
        var url = created.get("files").get(0).get("url").asText();
        var corrupted = data.clone();
        corrupted[5000] ^= 1;
        tus.patch(url, 0, corrupted);
        var refused = tus.complete(created);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).get("errors").findValuesAsText("field")).containsExactly("files[0]");
        assertThat(tus.offset(url)).isZero();
        tus.patch(url, 0, data);
        assertThat(tus.complete(created).statusCode()).isEqualTo(202);
    }

    @Test
    void completingEarlySaysWhichFilesAreMissingBytes() throws Exception {
        var created = tus.plan(new ResumableUpload.Request(context, List.of(new ResumableUpload.PlannedFile("a.bin", 100, null))));
        tus.patch(created.get("files").get(0).get("url").asText(), 0, new byte[40]);
        var early = tus.complete(created);
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(early.body()).get("errors").get(0).get("message").asText()).contains("40 of 100");
    }

    @Test
    void aBadPlanIsRefusedFieldByFieldAndKeepsNothing() throws Exception {
        var response = tus.post("/uploads", JSON.writeValueAsBytes(new ResumableUpload.Request(
                new ExperimentContext("", "d", null, null, "bad", null, null),
                List.of(new ResumableUpload.PlannedFile("../x", 1, null), new ResumableUpload.PlannedFile("ok", -1, "zz")))));
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("name", "contact_email", "files[0].path", "files[1].size", "files[1].sha256");
        assertThat(DataDirs.volumeContents(dataDir)).isEmpty();
        assertThat(tus.post("/uploads", "not json".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(422);
    }

    @Test
    void tusRulesAreEnforced() throws Exception {
        var created = tus.plan(new ResumableUpload.Request(context, List.of(new ResumableUpload.PlannedFile("a.bin", 10, null))));
        var url = created.get("files").get(0).get("url").asText();
        var wrongOffset = tus.patch(url, 3, new byte[2]);
        assertThat(wrongOffset.statusCode()).isEqualTo(409);
        var noVersion = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + url)).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[2])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noVersion.statusCode()).isEqualTo(412);
        var noVersionProblem = JSON.readTree(noVersion.body());
        assertThat(noVersionProblem.get("type").asText()).as("a problem that lists fields is a validation problem").isEqualTo(Problem.VALIDATION);
        assertThat(noVersionProblem.get("errors").get(0).get("field").asText()).isEqualTo("Tus-Resumable");
        var tooMuch = tus.patch(url, 0, new byte[11]);
        assertThat(tooMuch.statusCode()).isEqualTo(413);
        var options = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/tus")).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(options.headers().firstValue("Tus-Version")).contains("1.0.0");
        assertThat(options.headers().firstValue("Tus-Extension")).hasValueSatisfying(v -> assertThat(v).contains("creation"));
    }

    @Test
    void abandoningAnUploadRemovesEverything() throws Exception {
        var created = tus.plan(new ResumableUpload.Request(context, List.of(new ResumableUpload.PlannedFile("a.bin", 1000, null))));
        tus.patch(created.get("files").get(0).get("url").asText(), 0, new byte[500]);
        var id = created.get("upload_id").asText();
        var delete = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/uploads/" + id)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(delete.statusCode()).isEqualTo(204);
        assertThat(DataDirs.volumeContents(dataDir)).isEmpty();
        assertThat(tus.get("/uploads/" + id).statusCode()).isEqualTo(404);
        assertThat(tus.patch(created.get("files").get(0).get("url").asText(), 500, new byte[1]).statusCode()).isEqualTo(404);
    }

    /** True once no request holds the file (the cut PATCH has been noticed and its bytes confirmed). */
    private boolean patchFree(String url) throws Exception {
        // an empty PATCH at the current offset writes nothing; it is refused only while another request writes
        return tus.patch(url, tus.offset(url), new byte[0]).statusCode() == 204;
    }
}
