package dev.labdesk.worker.upload;

import dev.labdesk.model.ResumableUpload;
import dev.labdesk.worker.testing.RawMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.labdesk.worker.upload.TwoPrincipalWorker.ADA;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.BOB;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each principal's quota and the data dir's free space, checked before a body is read and while it is written. */
class StorageBoundsTest {
    static final long QUOTA = 1L << 20;
    @TempDir Path dataDir;
    private TwoPrincipalWorker w;

    @AfterEach
    void stop() {
        if (w != null) w.close();
    }

    @Test
    void anUploadWhoseContentLengthExceedsTheQuotaIsRefusedBeforeItsBodyIsRead() throws Exception {
        w = new TwoPrincipalWorker(dataDir, TestLimits.defaults().quota(QUOTA).build());
        try (var raw = new RawHttp(w.port(), RawHttp.head("POST /upload HTTP/1.1", "Authorization: Bearer " + ADA,
                "Content-Type: " + RawMultipart.contentType(), "Content-Length: " + (2 * QUOTA)))) {
            raw.readTimeout(Duration.ofSeconds(10)); // not a byte of the body is sent: the answer cannot wait for it
            var response = raw.response();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.headers().get("connection")).isEqualToIgnoringCase("close");
            assertThat(response.body()).contains("Quota exceeded").contains(Long.toString(QUOTA)).contains(Long.toString(2 * QUOTA));
        }
        assertThat(w.staging()).isEmpty();
    }

    @Test
    void anUploadWithoutLengthIsCutWhenItsBytesPassTheQuota() throws Exception {
        w = new TwoPrincipalWorker(dataDir, TestLimits.defaults().quota(QUOTA).build());
        try (var upload = new StreamingUpload(w.port(), ADA, 64 * QUOTA)) {
            var response = upload.response();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).contains("Quota exceeded").contains("ada");
            assertThat(upload.sent.get()).isLessThan(32 * QUOTA);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> w.staging().isEmpty());
        assertThat(w.healthTime()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void storedAndPendingBytesCountAgainstTheQuotaOfTheirOwnerOnly() throws Exception {
        w = new TwoPrincipalWorker(dataDir, TestLimits.defaults().quota(QUOTA).build());
        var stored = w.upload(ADA, TwoPrincipalWorker.form().file("a.bin", new byte[600 * 1024]).build());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(202);
        var overStored = w.plan(ADA, List.of(new ResumableUpload.PlannedFile("b.bin", 600 * 1024, null)));
        assertThat(overStored.statusCode()).isEqualTo(413);
        assertThat(json(overStored).get("detail").asText()).contains("614400 are stored");

        var first = w.plan(BOB, List.of(new ResumableUpload.PlannedFile("b.bin", 600 * 1024, null)));
        assertThat(first.statusCode()).as("bob's quota is his own").isEqualTo(201);
        var overPending = w.plan(BOB, List.of(new ResumableUpload.PlannedFile("c.bin", 600 * 1024, null)));
        assertThat(overPending.statusCode()).isEqualTo(413);
        assertThat(json(overPending).get("detail").asText()).contains("614400 are reserved");
        assertThat(w.delete(BOB, "/uploads/" + json(first).get("upload_id").asText()).statusCode()).isEqualTo(204);
        assertThat(w.plan(BOB, List.of(new ResumableUpload.PlannedFile("c.bin", 600 * 1024, null))).statusCode()).isEqualTo(201);
    }

    @Test
    void anUploadThatWouldLeaveTooLittleFreeSpaceIsRefusedWith507AndTheNumbers() throws Exception {
        long free = Files.getFileStore(dataDir).getUsableSpace();
        w = new TwoPrincipalWorker(dataDir, TestLimits.defaults().minFree(free + (1L << 40)).build());
        try (var raw = new RawHttp(w.port(), RawHttp.head("POST /upload HTTP/1.1", "Authorization: Bearer " + ADA,
                "Content-Type: " + RawMultipart.contentType(), "Content-Length: 4096"))) {
            raw.readTimeout(Duration.ofSeconds(10));
            var response = raw.response();
            assertThat(response.status()).isEqualTo(507);
            assertThat(response.body()).contains("needs 4096 bytes").contains("bytes free").contains(Long.toString(free + (1L << 40)));
        }
        var plan = w.plan(ADA, List.of(new ResumableUpload.PlannedFile("a.bin", 1000, null)));
        assertThat(plan.statusCode()).isEqualTo(507);
        assertThat(json(plan).get("detail").asText()).contains("needs 1000 bytes");
        assertThat(w.staging()).isEmpty();
    }

    @Test
    void anUploadIsCutWith507WhenWritingItWouldEatIntoTheMinimumFreeSpace() throws Exception {
        long free = Files.getFileStore(dataDir).getUsableSpace();
        w = new TwoPrincipalWorker(dataDir, TestLimits.defaults().minFree(free - (64L << 20)).build());
        try (var upload = new StreamingUpload(w.port(), ADA, 1L << 30)) {
            var response = upload.response();
            assertThat(response.status()).as(response.body()).isEqualTo(507);
            assertThat(response.body()).contains("less than the " + (free - (64L << 20)) + " bytes it keeps free");
            assertThat(upload.sent.get()).isLessThan(512L << 20);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> w.staging().isEmpty());
    }
}
