package dev.labdesk.worker.upload;

import dev.labdesk.model.ResumableUpload;
import dev.labdesk.worker.testing.RawMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.labdesk.worker.upload.TwoPrincipalWorker.ADA;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.BOB;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** At most so many upload bodies (POST /upload, tus PATCH) in flight per principal; the next is told when to retry. */
class UploadsInFlightTest {
    static final int MAX = 2;
    @TempDir Path dataDir;
    private TwoPrincipalWorker w;

    @BeforeEach
    void start() throws Exception {
        w = new TwoPrincipalWorker(dataDir, TestLimits.defaults().uploadsPerPrincipal(MAX).build());
    }

    @AfterEach
    void stop() {
        w.close();
    }

    @Test
    void aPrincipalWithItsMaximumOfBodiesInFlightGets429WithRetryAfterForTheNextAndOthersDoNot() throws Exception {
        var created = json(w.plan(ADA, List.of(new ResumableUpload.PlannedFile("a.bin", 10, null))));
        var url = created.get("files").get(0).get("url").asText();
        var first = open(ADA);
        var second = open(ADA);
        try {
            // the two bodies are being read once their staging folders exist
            await().atMost(Duration.ofSeconds(10)).until(() -> w.stagedUploads() == 2 + 1);
            var refused = w.upload(ADA, TwoPrincipalWorker.form().file("a.csv", "x\n1\n").build());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
            assertThat(json(refused).get("detail").asText()).contains("ada").contains(Integer.toString(MAX));
            var refusedPatch = w.patch(ADA, url, 0, new byte[10]);
            assertThat(refusedPatch.statusCode()).isEqualTo(429);
            assertThat(refusedPatch.headers().firstValue("Retry-After")).isPresent();
            assertThat(w.offset(ADA, url)).isZero();

            var bobs = w.upload(BOB, TwoPrincipalWorker.form().file("a.csv", "x\n1\n").build());
            assertThat(bobs.statusCode()).as("bob's bodies are counted apart").isEqualTo(202);
        } finally {
            first.close();
            second.close();
        }
        // once ada's two requests are over, she may send again
        await().atMost(Duration.ofSeconds(10)).until(() -> w.patch(ADA, url, 0, new byte[10]).statusCode() == 204);
        var accepted = w.upload(ADA, TwoPrincipalWorker.form().file("a.csv", "x\n1\n").build());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> w.stagedUploads() == 1); // only the pending plan's
    }

    /** An upload whose body has begun and then waits. */
    private RawHttp open(String key) throws Exception {
        var raw = new RawHttp(w.port(), RawHttp.head("POST /upload HTTP/1.1", "Authorization: Bearer " + key,
                "Content-Type: " + RawMultipart.contentType(), "Content-Length: 1048576"));
        raw.send(TwoPrincipalWorker.form().file("a.csv", "x\n1\n").buildUnterminated());
        return raw;
    }
}
