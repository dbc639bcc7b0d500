package dev.labdesk.worker.events;

import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.worker.sqlite.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The event-log contract on the database, plus what only a durable log must do: survive being opened again. */
class SqliteEventLogContractTest extends EventLogContract {
    @TempDir Path dir;
    private final List<Database> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    @Override
    EventLog log(int retain) {
        try {
            var db = Database.open(Files.createTempDirectory(dir, "db"));
            opened.add(db);
            return new SqliteEventLog(db, retain, Clock.systemUTC(), Json.newMapper());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eventsAndTheirNumbersSurviveTheDatabaseBeingOpenedAgainAndNumberingGoesOn() throws Exception {
        var data = dir.resolve("data");
        var s = SessionIds.newId();
        try (var db = Database.open(data)) {
            var log = new SqliteEventLog(db, 1_000, Clock.systemUTC(), Json.newMapper());
            log.appendAll(IntStream.range(0, 10).mapToObj(i -> line(s, "before " + i)).toList());
        }
        try (var db = Database.open(data)) {
            var log = new SqliteEventLog(db, 1_000, Clock.systemUTC(), Json.newMapper());
            assertThat(log.lastSeq(s)).isEqualTo(10);
            assertThat(log.append(line(s, "after")).seq()).isEqualTo(11);
            var rest = readAll(log, s, 7);
            assertThat(rest).extracting(SessionEvent::seq).containsExactly(8L, 9L, 10L, 11L);
            assertThat(((SessionEvent.Log) rest.getFirst()).message()).isEqualTo("before 7");
            var sink = new RecordingSink();
            var frames = log.readFrames(s, 9, 10, Duration.ZERO, sink);
            assertThat(sink.frames).hasSize(2);
            assertThat(sink.frames.getFirst()).startsWith("id: 10\nevent: log\n").contains("before 9");
            assertThat(frames.lastSeq()).isEqualTo(11);
        }
    }

    @Test
    void aReaderFarBehindTheMemoryTailIsServedFromDiskWithoutHoles() throws Exception {
        var log = log(100_000);
        var s = SessionIds.newId();
        for (int b = 0; b < 20; b++) log.appendAll(IntStream.range(0, 1_000).mapToObj(i -> line(s, "x")).toList());
        var all = readAll(log, s, 0);
        assertThat(all).extracting(SessionEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 20_000).boxed().toList());
        assertThat(log.read(s, 0, 10, Duration.ZERO).gap()).isFalse();
    }
}
