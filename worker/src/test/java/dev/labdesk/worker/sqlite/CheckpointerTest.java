package dev.labdesk.worker.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WAL is folded back into the database by the checkpointer's own thread, not by a commit: a burst of
 * writes four times the WAL's restart size grows the WAL only for a while, it starts over once the
 * checkpointer has copied it (its file cut back to {@link Database#WAL_SIZE_LIMIT}), and every write is
 * in the database after it is opened again.
 */
class CheckpointerTest {
    @TempDir Path dir;

    @Test
    void aBurstOfWritesIsCheckpointedBesideTheWriterAndTheWalStartsOverAtItsLimit() throws Exception {
        var wal = dir.resolve(Database.FILE + "-wal");
        var blob = new byte[64 << 10];
        Arrays.fill(blob, (byte) 'x');
        long burst = 4 * Database.WAL_SIZE_LIMIT;
        int rowsPerWrite = 8;
        int writes = (int) (burst / (rowsPerWrite * blob.length));
        try (var db = Database.open(dir)) {
            long maxWal = 0;
            for (int w = 0; w < writes; w++) {
                int first = w * rowsPerWrite;
                db.write(h -> {
                    for (int r = 0; r < rowsPerWrite; r++) h.update("INSERT INTO events (session_id, seq, terminal, frame) VALUES ('s', ?, 0, ?)", first + r + 1, blob);
                    return null;
                });
                maxWal = Math.max(maxWal, Files.size(wal));
            }
            assertThat(maxWal).as("the burst went through the WAL").isGreaterThan(Database.WAL_SIZE_LIMIT);

            // no write of ours checkpoints: only the checkpointer can let the WAL start over
            int[] seq = {writes * rowsPerWrite};
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                db.write(h -> h.update("INSERT INTO events (session_id, seq, terminal, frame) VALUES ('s', ?, 0, x'00')", ++seq[0]));
                assertThat(Files.size(wal)).isLessThanOrEqualTo(Database.WAL_SIZE_LIMIT);
            });
            long stored = db.read(h -> h.queryLong("SELECT count(*) FROM events WHERE session_id = 's'", 0));
            assertThat(stored).isEqualTo(seq[0]);
        }
        try (var db = Database.open(dir)) {
            long big = db.read(h -> h.queryLong("SELECT count(*) FROM events WHERE length(frame) = ?", 0, blob.length));
            assertThat(big).isEqualTo((long) writes * rowsPerWrite);
        }
    }

    @Test
    void afterAQuietSpellTheCheckpointerStartsTheNextWalSoTheNextWriteDoesNotHaveTo() throws Exception {
        var wal = dir.resolve(Database.FILE + "-wal");
        try (var db = Database.open(dir)) {
            db.write(h -> h.update("INSERT INTO events (session_id, seq, terminal, frame) VALUES ('s', 1, 0, x'00')"));
            int generation = walGeneration(wal);
            // nothing else writes: only the checkpointer can begin a new WAL (its header's checkpoint number moves on)
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(walGeneration(wal)).isGreaterThan(generation));
            db.write(h -> h.update("INSERT INTO events (session_id, seq, terminal, frame) VALUES ('s', 2, 0, x'00')"));
            long rows = db.read(h -> h.queryLong("SELECT count(*) FROM events WHERE session_id = 's'", 0));
            long applicationId = db.read(h -> h.queryLong("PRAGMA application_id", -1));
            assertThat(rows).isEqualTo(2);
            assertThat(applicationId).as("the write that starts a WAL changes nothing").isZero();
        }
        try (var db = Database.open(dir)) {
            long rows = db.read(h -> h.queryLong("SELECT count(*) FROM events WHERE session_id = 's'", 0));
            assertThat(rows).isEqualTo(2);
        }
    }

    @Test
    void whileWritesStreamTheWalIsCopiedButNotStartedOverAfterEveryPass() throws Exception {
        var wal = dir.resolve(Database.FILE + "-wal");
        var file = dir.resolve(Database.FILE);
        var frame = new byte[512];
        try (var db = Database.open(dir)) {
            db.write(h -> h.update("INSERT INTO events (session_id, seq, terminal, frame) VALUES ('s', 1, 0, ?)", frame));
            int generation = walGeneration(wal);
            long fileBefore = Files.size(file);
            // a fast live log: a one-record commit every ~0.5 ms for 2 s (fewer pages than RESTART_FRAMES), about
            // eight checkpoint passes, each of which saw commits (a restart after each would move the generation on each time;
            // a pass that a descheduled test thread left without commits may restart it, so a few are allowed)
            long start = System.nanoTime();
            for (int seq = 2; System.nanoTime() - start < Duration.ofSeconds(2).toNanos(); seq++) {
                int s = seq;
                db.write(h -> h.update("INSERT INTO events (session_id, seq, terminal, frame) VALUES ('s', ?, 0, ?)", s, frame));
                LockSupport.parkNanos(500_000);
            }
            assertThat(walGeneration(wal) - generation).as("WAL restarts while writes streamed (each held commits back for its fsyncs)")
                    .isLessThanOrEqualTo(3);
            assertThat(Files.size(file)).as("passes copied the WAL into the database meanwhile").isGreaterThan(fileBefore);
            int streamed = walGeneration(wal);
            // once writes pause, the checkpointer starts the next WAL itself
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(walGeneration(wal)).isGreaterThan(streamed));
        }
    }

    /** The WAL header's checkpoint sequence number, which SQLite moves on each time a WAL starts over. */
    private static int walGeneration(Path wal) throws java.io.IOException {
        try (var in = Files.newInputStream(wal)) {
            var header = in.readNBytes(16);
            return header.length < 16 ? -1 : java.nio.ByteBuffer.wrap(header, 12, 4).getInt();
        }
    }
}
