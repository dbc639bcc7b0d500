package dev.labdesk.worker.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.RawMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import static dev.labdesk.worker.testing.TestBytes.random;
import static dev.labdesk.worker.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;

/** Accepted uploads: bytes, names and hashes arrive exactly as sent, whatever the part order or size. */
class UploadIntakeTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir static Path dataDir;
    private static Worker worker;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    @Test
    void largeAndSmallFilesKeepTheirBytesAndHashes() throws Exception {
        var files = new LinkedHashMap<String, byte[]>();
        files.put("raw/big.bin", random(9 * 1024 * 1024 + 123, 1));   // past the inline-hash threshold: hashed in parallel
        files.put("raw/boundary-like.bin", "\r\n--labdesk-test-boundary-7f3\r\n--".getBytes());
        files.put("Données d'été/plaque 1 (copie).csv", "a,b\n1,2\n".getBytes());
        files.put("empty.txt", new byte[0]);
        files.put("raw/medium.bin", random(1024 * 1024 + 1, 2));
        // a file that fills the write buffer exactly goes to the writer stage whole; one byte more is written inline
        files.put("raw/one-buffer.bin", random(FileWriterSink.WRITE_BUFFER_BYTES, 3));
        files.put("raw/one-buffer-and-a-byte.bin", random(FileWriterSink.WRITE_BUFFER_BYTES + 1, 4));
        files.put("raw/after-them.csv", "x\n1\n".getBytes());
        var body = new RawMultipart().field("name", "Sizes").field("description", "all sizes");
        files.forEach(body::file);
        var accepted = upload(body.build());
        assertThat(accepted.get("files").asInt()).isEqualTo(files.size());
        assertThat(accepted.get("bytes").asLong()).isEqualTo(files.values().stream().mapToLong(b -> b.length).sum());
        var sessionId = accepted.get("session_id").asText();
        var manifest = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions/" + sessionId + "/files")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        var volume = dataDir.resolve("volumes/dataset-volume-" + sessionId);
        int i = 0;
        for (var e : files.entrySet()) {
            var entry = manifest.get(i++);
            assertThat(entry.get("path").asText()).isEqualTo(e.getKey());
            assertThat(entry.get("size").asLong()).isEqualTo(e.getValue().length);
            assertThat(entry.get("sha256").asText()).as(e.getKey()).isEqualTo(sha256(e.getValue()));
            assertThat(Files.readAllBytes(volume.resolve(e.getKey()))).isEqualTo(e.getValue());
        }
    }

    @Test
    void filesBeforeTheContextAreValidatedAtTheEnd() throws Exception {
        var accepted = upload(new RawMultipart().file("a.csv", "x\n1\n").field("description", "fields last").field("name", "Order").build());
        assertThat(accepted.get("files").asInt()).isEqualTo(1);
    }

    @Test
    void theOriginalFormsFieldNamesStillWork() throws Exception {
        var accepted = upload(new RawMultipart().field("experiment_name", "Legacy").field("researcher", "Ana").field("data_type", "genomics")
                .field("description", "from the Flask form").file("a.csv", "x\n").build());
        var session = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/sessions/" + accepted.get("session_id").asText())).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(session.at("/context/name").asText()).isEqualTo("Legacy");
        assertThat(session.at("/context/parameters/researcher").asText()).isEqualTo("Ana");
    }

    @Test
    void thousandsOfFilesAreNoProblem() throws Exception {
        var body = new RawMultipart().field("name", "Many").field("description", "2,500 files");
        for (int i = 0; i < 2_500; i++) body.file("run" + (i % 8) + "/lane" + (i % 5) + "/f" + i + ".bin", new byte[] {(byte) i});
        assertThat(upload(body.build()).get("files").asInt()).isEqualTo(2_500);
    }

    @Test
    void theContextCanBeOneJsonPart() throws Exception {
        var accepted = upload(new RawMultipart().field("context", "{\"name\":\"Json\",\"description\":\"one part\",\"tags\":[\"a\",\"b\"],\"parameters\":{\"t\":37}}")
                .file("a.csv", "x\n").build());
        assertThat(accepted.get("volume").asText()).startsWith("dataset-volume-");
    }

    private static JsonNode upload(byte[] body) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/upload")).header("Content-Type", RawMultipart.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body());
    }


}
