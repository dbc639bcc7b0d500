package dev.labdesk.worker.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writes gathered into one batch on the writer's thread: committed together, a failing one alone refused, all committed before the database closes. */
class BatchWriterTest {
    @TempDir Path dir;

    @Test
    void aWriteThatFailsInItsBatchFailsAloneAndTheOthersAreCommittedInOrder() throws Exception {
        try (var db = Database.open(dir)) {
            db.write(h -> {
                h.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, seq INTEGER NOT NULL)");
                return null;
            });
            var writer = db.batchWriter("test-writer");
            var busy = new CountDownLatch(1);
            var release = new CountDownLatch(1);
            var first = writer.submit(h -> { // holds the writer while the next ones queue up into one batch
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return h.update("INSERT INTO t VALUES (0, 0)");
            });
            busy.await();
            var later = new ArrayList<CompletableFuture<Integer>>();
            for (int i = 1; i <= 100; i++) {
                int k = i == 50 ? 0 : i; // 50 takes a key that is already there
                int seq = i;
                later.add(writer.submit(h -> h.update("INSERT INTO t VALUES (?, ?)", k, seq)));
            }
            release.countDown();
            assertThat(first.join()).isEqualTo(1);
            for (int i = 1; i <= 100; i++) {
                var f = later.get(i - 1);
                if (i == 50) assertThatThrownBy(f::join).hasMessageContaining("UNIQUE");
                else assertThat(f.join()).as("write %d", i).isEqualTo(1);
            }
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT count(*) FROM t", -1))).isEqualTo(100L);
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT seq FROM t WHERE k = 0", -1))).as("the first write's row, not the refused one's").isEqualTo(0L);
        }
    }

    @Test
    void whatWasSubmittedIsCommittedWhenTheDatabaseCloses() {
        try (var db = Database.open(dir)) {
            db.write(h -> {
                h.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
                return null;
            });
            var writer = db.batchWriter("test-writer");
            for (int i = 0; i < 1_000; i++) {
                int k = i;
                writer.submit(h -> h.update("INSERT INTO t VALUES (?)", k));
            }
        }
        try (var db = Database.open(dir)) {
            assertThat((long) db.<Long>read(h -> h.queryLong("SELECT count(*) FROM t", -1))).isEqualTo(1_000L);
            var writer = db.batchWriter("test-writer");
            db.close();
            assertThatThrownBy(() -> writer.submit(h -> null)).isInstanceOf(StoreUnavailableException.class);
        }
    }
}
