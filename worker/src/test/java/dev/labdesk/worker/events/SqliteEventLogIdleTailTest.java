package dev.labdesk.worker.events;

import dev.labdesk.model.Json;
import dev.labdesk.model.SessionIds;
import dev.labdesk.worker.sqlite.Database;
import dev.labdesk.worker.testing.MovableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.labdesk.worker.events.EventLogContract.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's frames held in memory for live readers are let go once it has been quiet for {@link SqliteEventLog#IDLE_TAIL}:
 * nothing is lost (the database holds it all), and a reader waiting on the tail let go is sent the next event at once, not
 * at the end of its wait.
 */
class SqliteEventLogIdleTailTest {
    @TempDir Path dir;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T12:00:00Z"));

    @Test
    void aQuietSessionsTailIsLetGoAndAReaderWaitingOnItIsSentTheNextEventAtOnce() throws Exception {
        var s = SessionIds.newId();
        try (var db = Database.open(dir); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var log = new SqliteEventLog(db, 1_000, clock, Json.newMapper());
            for (int i = 1; i <= 3; i++) log.append(line(s, "line " + i));
            var frames = new ArrayList<String>();
            var reader = pool.submit(() -> log.readFrames(s, 3, 100, Duration.ofSeconds(60), sink(frames)));
            Thread.sleep(300); // the reader is waiting for a fourth event

            clock.advance(SqliteEventLog.IDLE_TAIL.minusSeconds(1));
            assertThat(log.releaseIdleTails()).as("quiet for less than its idle time").isZero();
            clock.advance(Duration.ofSeconds(2));
            assertThat(log.releaseIdleTails()).as("quiet for longer").isEqualTo(1);
            assertThat(log.releaseIdleTails()).isZero();

            log.append(line(s, "line 4"));
            var batch = reader.get(10, TimeUnit.SECONDS); // not the 60 s its wait allows
            assertThat(batch.count()).isEqualTo(1);
            assertThat(batch.lastSeq()).isEqualTo(4);
            assertThat(frames).singleElement().asString().startsWith("id: 4\n").contains("line 4");

            var all = new ArrayList<String>();
            var replay = log.readFrames(s, 0, 100, Duration.ZERO, sink(all));
            assertThat(replay.count()).as("every event still there, from the database and the tail loaded again").isEqualTo(4);
            assertThat(all).extracting(f -> f.substring(0, f.indexOf('\n'))).containsExactly("id: 1", "id: 2", "id: 3", "id: 4");
        }
    }

    @Test
    void aTailStillBeingAppendedToIsKept() throws Exception {
        var s = SessionIds.newId();
        try (var db = Database.open(dir)) {
            var log = new SqliteEventLog(db, 1_000, clock, Json.newMapper());
            log.append(line(s, "first"));
            clock.advance(SqliteEventLog.IDLE_TAIL.minusSeconds(5));
            log.append(line(s, "second"));
            clock.advance(Duration.ofSeconds(10));
            assertThat(log.releaseIdleTails()).isZero();
            assertThat(log.lastSeq(s)).isEqualTo(2);
        }
    }

    private static EventLog.FrameSink sink(List<String> into) {
        return new EventLog.FrameSink() {
            @Override
            public void gap(long requestedAfter, long firstAvailable) {
                into.add("gap " + requestedAfter + " " + firstAvailable);
            }

            @Override
            public void frame(byte[] bytes, int offset, int length) {
                into.add(new String(bytes, offset, length, java.nio.charset.StandardCharsets.UTF_8));
            }
        };
    }
}
