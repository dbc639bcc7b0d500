package dev.labdesk.worker.events;

import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.worker.sqlite.Database;
import dev.labdesk.worker.sqlite.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static dev.labdesk.worker.events.EventLogContract.line;
import static dev.labdesk.worker.events.EventLogContract.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Appends of one session that overlap are numbered under the session's lock and committed together;
 * what they must still guarantee: numbers without holes, in the order readers see them, and a failed
 * write taking down only what was numbered after it.
 */
class SqliteEventLogPipelineTest {
    @TempDir Path dir;

    @Test
    void overlappingAppendsOfOneSessionAreStoredAndSeenWithoutAHole() throws Exception {
        var s = SessionIds.newId();
        try (var db = Database.open(dir)) {
            var log = new SqliteEventLog(db, 100_000, Clock.systemUTC(), Json.newMapper());
            var seen = Collections.synchronizedList(new ArrayList<Long>());
            var reading = Executors.newVirtualThreadPerTaskExecutor();
            var reader = reading.submit(() -> follow(log, s, 8 * 400, seen));
            try (var posters = Executors.newVirtualThreadPerTaskExecutor()) {
                var done = new ArrayList<Future<List<Long>>>();
                for (int p = 0; p < 8; p++) {
                    int poster = p;
                    done.add(posters.submit(() -> {
                        var mine = new ArrayList<Long>();
                        for (int i = 0; i < 400; i++) mine.add(log.append(line(s, "poster " + poster + " line " + i)).seq());
                        return mine;
                    }));
                }
                var all = new ArrayList<Long>();
                for (var f : done) {
                    var mine = f.get();
                    assertThat(mine).as("one poster's appends in the order it made them").isSorted();
                    all.addAll(mine);
                }
                assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 3_200).boxed().toList());
            }
            reader.get();
            reading.close();
            assertThat(seen).as("a live reader saw every event once, in order").containsExactlyElementsOf(LongStream.rangeClosed(1, 3_200).boxed().toList());
            assertThat(stored(db, s)).containsExactlyElementsOf(LongStream.rangeClosed(1, 3_200).boxed().toList());
        }
    }

    @Test
    void aFailedWriteFailsTheAppendsNumberedAfterItAndNumberingGoesOnAfterTheLastStored() throws Exception {
        var s = SessionIds.newId();
        var huge = "x".repeat(400_000); // more than the room left: its write always fails, a small one's fits
        try (var db = Database.open(dir)) {
            var log = new SqliteEventLog(db, 100_000, Clock.systemUTC(), Json.newMapper());
            log.append(line(s, "first"));
            long pages = db.read(h -> h.queryLong("PRAGMA page_count", 0));
            db.write(h -> {
                h.execute("PRAGMA max_page_count = " + (pages + 60));
                return null;
            });
            var ok = new ConcurrentLinkedQueue<Long>();
            var failed = new ConcurrentLinkedQueue<Throwable>();
            try (var posters = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int p = 0; p < 6; p++) {
                    boolean big = p % 2 == 0;
                    posters.submit(() -> {
                        for (int i = 0; i < 150; i++) {
                            try {
                                ok.add(log.append(line(s, (big ? huge : "small ") + i)).seq());
                            } catch (RuntimeException e) {
                                failed.add(e);
                            }
                        }
                    });
                }
            }
            assertThat(failed).as("the disk filled up").isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOf(StoreUnavailableException.class));
            long last = log.lastSeq(s);
            var expected = LongStream.rangeClosed(1, last).boxed().toList();
            assertThat(stored(db, s)).as("stored: every number from 1 to the last, none twice, no hole").containsExactlyElementsOf(expected);
            var acknowledged = new ArrayList<>(ok);
            acknowledged.add(1L);
            assertThat(acknowledged).as("every append that returned is stored, and nothing else is").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(readAll(log, s, 0)).extracting(SessionEvent::seq).containsExactlyElementsOf(expected);

            db.write(h -> {
                h.execute("PRAGMA max_page_count = 1073741823");
                return null;
            });
            assertThat(log.append(line(s, "after")).seq()).as("numbering goes on after the last stored event").isEqualTo(last + 1);
            assertThat(stored(db, s)).containsExactlyElementsOf(LongStream.rangeClosed(1, last + 1).boxed().toList());
        }
    }

    private static Void follow(EventLog log, String s, int count, List<Long> seen) throws InterruptedException {
        long after = 0;
        while (seen.size() < count) {
            var batch = log.read(s, after, 1_000, Duration.ofSeconds(10));
            if (batch.events().isEmpty()) throw new AssertionError("no event for 10 s after " + after);
            for (var e : batch.events()) seen.add(e.seq());
            after = batch.events().getLast().seq();
        }
        return null;
    }

    private static List<Long> stored(Database db, String s) {
        return db.read(h -> {
            var q = h.prepare("SELECT seq FROM events WHERE session_id = ? ORDER BY seq");
            q.setString(1, s);
            var out = new ArrayList<Long>();
            try (var rs = q.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
            return out;
        });
    }
}
