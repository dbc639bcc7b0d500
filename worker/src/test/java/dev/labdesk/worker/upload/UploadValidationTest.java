package dev.labdesk.worker.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.DataDirs;
import dev.labdesk.worker.testing.RawMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every way an upload can be wrong: each is refused with a problem document naming the field,
 * and leaves nothing under the data directory.
 */
class UploadValidationTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir static Path dataDir;
    private static Worker worker;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    private static RawMultipart valid() {
        return new RawMultipart().field("name", "Growth curves").field("description", "OD600 over two days");
    }

    static Stream<Arguments> badContext() {
        return Stream.of(
                bad("name missing", new RawMultipart().field("description", "d").file("a.csv", "x\n1\n"), "name"),
                bad("name blank", new RawMultipart().field("name", "   ").field("description", "d").file("a.csv", "x"), "name"),
                bad("name too long", new RawMultipart().field("name", "n".repeat(201)).field("description", "d").file("a.csv", "x"), "name"),
                bad("name with control character", new RawMultipart().field("name", "bad\u0007name").field("description", "d").file("a.csv", "x"), "name"),
                bad("description missing", new RawMultipart().field("name", "n").file("a.csv", "x"), "description"),
                bad("description too long", new RawMultipart().field("name", "n").field("description", "d".repeat(10_001)).file("a.csv", "x"), "description"),
                bad("goals too long", with(m -> m.field("goals", "g".repeat(5_001))), "goals"),
                bad("hypothesis too long", with(m -> m.field("hypothesis", "h".repeat(5_001))), "hypothesis"),
                bad("email without domain", with(m -> m.field("contact_email", "someone@")), "contact_email"),
                bad("email with spaces", with(m -> m.field("contact_email", "some one@lab.org")), "contact_email"),
                bad("tag with bad characters", with(m -> m.field("tags", "ok, <script>")), "tags[1]"),
                bad("duplicate tag", with(m -> m.field("tags", "growth, Growth")), "tags[1]"),
                bad("too many tags", with(m -> m.field("tags", String.join(",", Stream.iterate(1, i -> i + 1).limit(33).map(i -> "t" + i).toList()))), "tags"),
                bad("tag too long", with(m -> m.field("tags", "t".repeat(41))), "tags[0]"),
                bad("parameters not JSON", with(m -> m.field("parameters", "temperature=37")), "parameters"),
                bad("parameters an array", with(m -> m.field("parameters", "[1,2]")), "parameters"),
                bad("parameter with a nested object", with(m -> m.field("parameters", "{\"t\": {\"c\": 37}}")), "parameters.t"),
                bad("parameter key with spaces", with(m -> m.field("parameters", "{\"bad key\": 1}")), "parameters"),
                bad("context part not JSON", new RawMultipart().field("context", "{name:").file("a.csv", "x"), "context"),
                bad("context part and fields both", new RawMultipart().field("context", "{\"name\":\"n\",\"description\":\"d\"}").field("name", "n").file("a.csv", "x"), "context"),
                bad("context part missing description", new RawMultipart().field("context", "{\"name\":\"n\"}").file("a.csv", "x"), "description"),
                bad("unknown field", with(m -> m.field("experimnet", "typo")), "experimnet"),
                bad("field sent twice", with(m -> m.field("name", "again")), "name"));
    }

    static Stream<Arguments> badPaths() {
        var nfc = Normalizer.normalize("café.csv", Normalizer.Form.NFC);
        var nfd = Normalizer.normalize("café.csv", Normalizer.Form.NFD);
        return Stream.of(
                bad("parent segment", valid().file("../evil.csv", "x"), "files[0]"),
                bad("parent segment inside", valid().file("ok.csv", "x").file("a/../../evil.csv", "x"), "files[1]"),
                bad("absolute path", valid().file("/etc/passwd", "x"), "files[0]"),
                bad("drive path", valid().file("C:/data/x.csv", "x"), "files[0]"),
                bad("drive-relative path", valid().file("C:x.csv", "x"), "files[0]"),
                bad("backslash separator", valid().file("raw\\..\\..\\evil.csv", "x"), "files[0]"),
                // raw control bytes cannot even be part of a header: the body is malformed
                bad("raw NUL in header", valid().file("a\u0000.csv", "x"), "body"),
                bad("raw escape in header", valid().file("a\u001b[31m.csv", "x"), "body"),
                bad("NUL in name (RFC 5987)", valid().part("form-data; name=\"files\"; filename*=UTF-8''a%00.csv", new byte[] {1}), "files[0]"),
                bad("escape in name (RFC 5987)", valid().part("form-data; name=\"files\"; filename*=UTF-8''a%1B%5B31m.csv", new byte[] {1}), "files[0]"),
                bad("backslash in name (RFC 5987)", valid().part("form-data; name=\"files\"; filename*=UTF-8''..%5C..%5Cevil", new byte[] {1}), "files[0]"),
                bad("newline in name (browser-escaped)", valid().file("a%0Ab.csv", "x"), "files[0]"),
                bad("empty segment", valid().file("a//b.csv", "x"), "files[0]"),
                bad("trailing slash", valid().file("a/", "x"), "files[0]"),
                bad("dot segment", valid().file("./a.csv", "x"), "files[0]"),
                bad("empty file name", valid().file("", "x"), "files[0]"),
                bad("name of spaces", valid().file("a/   /b.csv", "x"), "files[0]"),
                bad("segment over 255 bytes", valid().file("é".repeat(128) + ".csv", "x"), "files[0]"),
                bad("path over 1024 characters", valid().file(("abcdefghi/".repeat(103)) + "x.csv", "x"), "files[0]"),
                bad("duplicate", valid().file("a.csv", "x").file("a.csv", "y"), "files[1]"),
                bad("duplicate by case", valid().file("Data/A.csv", "x").file("data/a.csv", "y"), "files[1]"),
                bad("duplicate by Unicode form", valid().file(nfc, "x").file(nfd, "y"), "files[1]"),
                bad("file where a folder is needed", valid().file("d", "x").file("d/x.csv", "y"), "files[1]"),
                bad("folder where a file is", valid().file("d/x.csv", "x").file("d", "y"), "files[1]"),
                bad("reserved results folder", valid().file("results/report.md", "x"), "files[0]"),
                bad("file part without filename", valid().part("form-data; name=\"files\"", "x".getBytes(StandardCharsets.UTF_8)), "files[0]"),
                bad("no files at all", valid(), "files"),
                bad("part without a name", valid().part("form-data; filename=\"a.csv\"", new byte[] {1}), "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"badContext", "badPaths"})
    void refusedWithTheFieldNamedAndNothingKept(String why, RawMultipart body, String field) throws Exception {
        var response = post(RawMultipart.contentType(), body.build());
        assertProblem(response, field);
    }

    @Test
    void nonMultipartBodyIsRefused() throws Exception {
        var response = post("application/json", "{\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(415);
        assertProblem(response, "body");
    }

    @Test
    void multipartWithoutBoundaryIsRefused() throws Exception {
        assertProblem(post("multipart/form-data", valid().file("a.csv", "x").build()), "body");
    }

    @Test
    void hugeFieldIsRefusedWithoutBeingBuffered() throws Exception {
        var response = post(RawMultipart.contentType(), new RawMultipart().field("name", "n".repeat(5 * 1024 * 1024))
                .field("description", "d").file("a.csv", "x").build());
        assertThat(response.statusCode()).isEqualTo(413);
        assertProblem(response, "name");
    }

    @Test
    void truncatedBodyIsRefused() throws Exception {
        assertProblem(post(RawMultipart.contentType(), valid().file("a.csv", "x,y\n1,2\n").buildUnterminated()), "body");
    }

    @Test
    void errorsAreReportedTogether() throws Exception {
        var response = post(RawMultipart.contentType(), new RawMultipart().field("contact_email", "nope")
                .file("../x", "1").file("ok.csv", "2").file("ok.csv", "3").build());
        var problem = JSON.readTree(response.body());
        assertThat(problem.get("errors").findValuesAsText("field"))
                .contains("name", "description", "contact_email", "files[0]", "files[2]");
        assertThat(DataDirs.volumeContents(dataDir)).isEmpty();
    }

    @Test
    void connectionCutMidUploadLeavesNothing() throws Exception {
        var body = valid().file("big/part.bin", new byte[2 * 1024 * 1024]).buildUnterminated();
        try (var socket = new Socket("127.0.0.1", worker.port())) {
            var out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + RawMultipart.contentType()
                    + "\r\nContent-Length: " + (body.length * 2L) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            // the worker has started writing the file in staging by now
            await().atMost(Duration.ofSeconds(10)).until(() -> !stagingEmpty());
        }
        await().atMost(Duration.ofSeconds(10)).until(UploadValidationTest::stagingEmpty);
        assertThat(DataDirs.volumeContents(dataDir)).isEmpty();
    }

    private static boolean stagingEmpty() throws IOException {
        try (var s = java.nio.file.Files.list(dataDir.resolve("volumes/.staging"))) {
            return s.findAny().isEmpty();
        }
    }

    private static void assertProblem(HttpResponse<String> response, String field) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
        assertThat(problem.get("errors").findValuesAsText("field")).as(response.body()).contains(field);
        assertThat(problem.get("errors").findValuesAsText("message")).allSatisfy(m -> assertThat(m).isNotBlank());
        assertThat(DataDirs.volumeContents(dataDir)).as("nothing kept under the data dir").isEmpty();
    }

    private static HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/upload")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RawMultipart with(UnaryOperator<RawMultipart> extra) {
        return extra.apply(valid()).file("a.csv", "x\n1\n");
    }

    private static Arguments bad(String why, RawMultipart body, String field) {
        return Arguments.of(why, body, field);
    }
}
