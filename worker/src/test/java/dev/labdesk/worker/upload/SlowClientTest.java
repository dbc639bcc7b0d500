package dev.labdesk.worker.upload;

import dev.labdesk.model.ResumableUpload;
import dev.labdesk.worker.testing.RawMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.labdesk.worker.testing.TestBytes.random;
import static dev.labdesk.worker.testing.TestBytes.sha256;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.ADA;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Upload bodies that trickle or stop are cut (408) within bounds, leave nothing behind, and do not slow the worker. */
class SlowClientTest {
    static final Duration IDLE = Duration.ofSeconds(2);
    @TempDir static Path dataDir;
    private static TwoPrincipalWorker w;

    @BeforeAll
    static void start() throws Exception {
        w = new TwoPrincipalWorker(dataDir, TestLimits.defaults().pace(IDLE, 1024).build());
        w.healthTime();
    }

    @AfterAll
    static void stop() {
        w.close();
    }

    @Test
    void aPostUploadTricklingOneBytePerSecondIsCutWhileHealthStaysFast() throws Exception {
        var head = new String(TwoPrincipalWorker.form().buildUnterminated(), StandardCharsets.UTF_8)
                + "--" + RawMultipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"slow.bin\"\r\n\r\n";
        try (var raw = new RawHttp(w.port(), RawHttp.head("POST /upload HTTP/1.1", "Authorization: Bearer " + ADA,
                "Content-Type: " + RawMultipart.contentType(), "Content-Length: 1048576"))) {
            raw.send(head.getBytes(StandardCharsets.UTF_8));
            long start = System.nanoTime();
            var slowest = new AtomicReference<>(Duration.ZERO);
            var done = new AtomicBoolean();
            var trickle = Thread.ofVirtual().start(() -> {
                try {
                    while (!done.get()) {
                        raw.send(new byte[] {'x'});
                        var t = w.healthTime();
                        slowest.accumulateAndGet(t, (a, b) -> a.compareTo(b) >= 0 ? a : b);
                        Thread.sleep(Math.max(0, 1000 - t.toMillis()));
                    }
                } catch (IOException | InterruptedException closed) {
                    // the worker cut the request
                }
            });
            var response = raw.response();
            var after = Duration.ofNanos(System.nanoTime() - start);
            done.set(true);
            trickle.join();
            assertThat(response.status()).as(response.body()).isEqualTo(408);
            assertThat(response.headers().get("content-type")).startsWith("application/problem+json");
            assertThat(response.headers().get("connection")).isEqualToIgnoringCase("close");
            assertThat(response.body()).contains("bytes/s");
            assertThat(after).as("cut after the idle timeout's worth of time, not long after").isBetween(IDLE, IDLE.multipliedBy(4));
            assertThat(slowest.get()).as("slowest /health meanwhile").isLessThan(Duration.ofSeconds(1));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> w.staging().isEmpty());
    }

    @Test
    void aPostUploadThatStopsSendingIsCutAfterTheIdleTimeout() throws Exception {
        try (var raw = new RawHttp(w.port(), RawHttp.head("POST /upload HTTP/1.1", "Authorization: Bearer " + ADA,
                "Content-Type: " + RawMultipart.contentType(), "Content-Length: 1048576"))) {
            raw.send(TwoPrincipalWorker.form().file("a.csv", "x,y\n1,2\n").buildUnterminated());
            long start = System.nanoTime();
            var response = raw.response();
            var after = Duration.ofNanos(System.nanoTime() - start);
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).contains("sent no byte for 2.0 s");
            assertThat(after).isBetween(IDLE.minusMillis(200), IDLE.multipliedBy(4));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> w.staging().isEmpty());
    }

    @Test
    void aTusPatchTricklingIsCutAndKeepsWhatArrivedSoTheClientResumes() throws Exception {
        var data = random(64 * 1024, 11);
        var created = json(w.plan(ADA, List.of(new ResumableUpload.PlannedFile("slow.bin", data.length, sha256(data)))));
        var url = created.get("files").get(0).get("url").asText();
        try (var raw = new RawHttp(w.port(), RawHttp.head("PATCH " + url + " HTTP/1.1", "Authorization: Bearer " + ADA, "Tus-Resumable: 1.0.0",
                "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: " + data.length))) {
            raw.send(Arrays.copyOf(data, 500));
            var done = new AtomicBoolean();
            var trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 500; !done.get() && i < data.length; i++) {
                        Thread.sleep(1000);
                        raw.send(new byte[] {data[i]});
                    }
                } catch (IOException | InterruptedException closed) {
                    // the worker cut the request
                }
            });
            var response = raw.response();
            done.set(true);
            trickle.join();
            assertThat(response.status()).as(response.body()).isEqualTo(408);
            assertThat(response.body()).contains("HEAD");
        }
        long offset = w.offset(ADA, url);
        assertThat(offset).isBetween(500L, 510L);
        assertThat(w.patch(ADA, url, offset, Arrays.copyOfRange(data, (int) offset, data.length)).statusCode()).isEqualTo(204);
        var accepted = w.complete(ADA, created.get("upload_id").asText());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }
}
