package dev.labdesk.worker.upload;

import dev.labdesk.model.ResumableUpload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.labdesk.worker.testing.TestBytes.sha256;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.ADA;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.BOB;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Resumable upload plans: files and declared bytes per plan, pending plans per principal, nothing written before it is needed. */
class PlanBoundsTest {
    static final int MAX_FILES = 5_000;
    static final long MAX_BYTES = 8L << 20;
    static final int PENDING = 2;
    @TempDir Path dataDir;
    private TwoPrincipalWorker w;

    @BeforeEach
    void start() throws Exception {
        w = new TwoPrincipalWorker(dataDir, TestLimits.defaults().plans(MAX_FILES, MAX_BYTES, PENDING).build());
    }

    @AfterEach
    void stop() {
        w.close();
    }

    @Test
    void aPlanWithMoreFilesThanAllowedIsRefusedWithAFieldError() throws Exception {
        var response = w.plan(ADA, empties(MAX_FILES + 1));
        assertThat(response.statusCode()).isEqualTo(422);
        var problem = json(response);
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("files");
        assertThat(problem.get("errors").get(0).get("message").asText()).contains("at most " + MAX_FILES);
        assertThat(w.staging()).isEmpty();
    }

    @Test
    void aPlanDeclaringMoreBytesThanAllowedIsRefusedWithAFieldError() throws Exception {
        var response = w.plan(ADA, List.of(new ResumableUpload.PlannedFile("a.bin", MAX_BYTES, null), new ResumableUpload.PlannedFile("b.bin", 1, null)));
        assertThat(response.statusCode()).isEqualTo(422);
        var problem = json(response);
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("files");
        assertThat(problem.get("errors").get(0).get("message").asText()).contains(Long.toString(MAX_BYTES + 1)).contains(Long.toString(MAX_BYTES));
        // sizes that overflow a long when added are refused the same way, not wrapped round
        var huge = w.plan(ADA, List.of(new ResumableUpload.PlannedFile("a.bin", Long.MAX_VALUE, null), new ResumableUpload.PlannedFile("b.bin", Long.MAX_VALUE, null)));
        assertThat(huge.statusCode()).isEqualTo(422);
        assertThat(w.staging()).isEmpty();
    }

    @Test
    void aPlanFullOfBadPathsListsTheFirstHundredAndCountsThemAll() throws Exception {
        var bad = IntStream.range(0, MAX_FILES).mapToObj(i -> new ResumableUpload.PlannedFile("../bad-" + i, 1, null)).toList();
        var response = w.plan(ADA, bad);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body().length()).isLessThan(32 * 1024);
        assertThat(json(response).get("errors")).hasSize(100);
        assertThat(json(response).get("errors_total").asInt()).isEqualTo(MAX_FILES);
    }

    @Test
    void aPrincipalWithItsMaximumOfPendingPlansGets429WithRetryAfterUntilOneEnds() throws Exception {
        var first = json(w.plan(ADA, List.of(new ResumableUpload.PlannedFile("a.bin", 10, null))));
        assertThat(w.plan(ADA, List.of(new ResumableUpload.PlannedFile("a.bin", 10, null))).statusCode()).isEqualTo(201);
        var refused = w.plan(ADA, List.of(new ResumableUpload.PlannedFile("a.bin", 10, null)));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(json(refused).get("detail").asText()).contains("ada").contains(Integer.toString(PENDING));
        // bob has his own count
        assertThat(w.plan(BOB, List.of(new ResumableUpload.PlannedFile("a.bin", 10, null))).statusCode()).isEqualTo(201);
        // abandoning one lets ada plan again
        assertThat(w.delete(ADA, "/uploads/" + first.get("upload_id").asText()).statusCode()).isEqualTo(204);
        assertThat(w.plan(ADA, List.of(new ResumableUpload.PlannedFile("a.bin", 10, null))).statusCode()).isEqualTo(201);
    }

    @Test
    void aCompletedPlanNoLongerCountsAsPending() throws Exception {
        for (int i = 0; i < PENDING + 1; i++) {
            var created = json(w.plan(ADA, List.of(new ResumableUpload.PlannedFile("empty.txt", 0, sha256(new byte[0])))));
            var accepted = w.complete(ADA, created.get("upload_id").asText());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        }
    }

    @Test
    void aPlanOfFiveThousandEmptyFilesWritesNothingUntilItIsCompleted() throws Exception {
        var response = w.plan(ADA, empties(MAX_FILES));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        var created = json(response);
        assertThat(w.staging()).as("staging holds only the upload's empty folder").hasSize(1).allSatisfy(p -> assertThat(p).isDirectory());
        var accepted = w.complete(ADA, created.get("upload_id").asText());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var volume = dataDir.resolve("volumes/dataset-volume-" + json(accepted).get("session_id").asText());
        try (Stream<Path> files = Files.walk(volume)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(MAX_FILES);
        }
        assertThat(Files.size(volume.resolve("d7/e4999.txt"))).isZero();
        assertThat(w.staging()).isEmpty();
    }

    private static List<ResumableUpload.PlannedFile> empties(int n) {
        var empty = sha256(new byte[0]);
        return IntStream.range(0, n).mapToObj(i -> new ResumableUpload.PlannedFile("d" + (i % 8) + "/e" + i + ".txt", 0, empty)).toList();
    }
}
