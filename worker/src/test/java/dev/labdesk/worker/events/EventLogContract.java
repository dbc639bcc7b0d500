package dev.labdesk.worker.events;

import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link EventLog} promises, run against each implementation. */
abstract class EventLogContract {
    /** A log that keeps about {@code retain} events per session. */
    abstract EventLog log(int retain);

    static SessionEvent line(String session, String text) {
        return new SessionEvent.Log(session, 0, Instant.parse("2026-12-01T10:00:00Z"), "INFO", "test", text);
    }

    static List<SessionEvent> readAll(EventLog log, String session, long after) throws InterruptedException {
        var out = new ArrayList<SessionEvent>();
        while (true) {
            var b = log.read(session, after, 300, Duration.ZERO);
            if (b.events().isEmpty()) return out;
            out.addAll(b.events());
            after = b.events().getLast().seq();
        }
    }

    @Test
    void appendsAreNumberedFromOneAndReadBackAfterAnySeq() throws Exception {
        var log = log(10_000);
        var s = SessionIds.newId();
        assertThat(log.lastSeq(s)).isZero();
        var first = log.append(line(s, "a"));
        var batch = log.appendAll(List.of(line(s, "b"), line(s, "c"), line(s, "d")));
        assertThat(first.seq()).isEqualTo(1);
        assertThat(batch).extracting(SessionEvent::seq).containsExactly(2L, 3L, 4L);
        assertThat(log.lastSeq(s)).isEqualTo(4);
        var after2 = log.read(s, 2, 10, Duration.ZERO);
        assertThat(after2.gap()).isFalse();
        assertThat(after2.events()).extracting(e -> ((SessionEvent.Log) e).message()).containsExactly("c", "d");
        assertThat(after2.events().getFirst()).isEqualTo(line(s, "c").withSeq(3));
        assertThat(log.read(s, 0, 2, Duration.ZERO).events()).extracting(SessionEvent::seq).containsExactly(1L, 2L);
        assertThat(log.read(s, 4, 10, Duration.ZERO).events()).isEmpty();
        assertThat(log.read(SessionIds.newId(), 0, 10, Duration.ZERO).events()).isEmpty();
    }

    @Test
    void aWaitingReaderWakesAsSoonAsAnotherThreadAppends() throws Exception {
        var log = log(10_000);
        var s = SessionIds.newId();
        log.append(line(s, "first"));
        var waiting = CompletableFuture.supplyAsync(() -> {
            try {
                long start = System.nanoTime();
                var b = log.read(s, 1, 10, Duration.ofSeconds(20));
                return new Object[] {b, Duration.ofNanos(System.nanoTime() - start)};
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300); // the reader must be parked in its wait, not about to start it
        assertThat(waiting).isNotDone();
        log.append(line(s, "second"));
        var got = waiting.get();
        var batch = (EventLog.Batch) got[0];
        assertThat(batch.events()).extracting(SessionEvent::seq).containsExactly(2L);
        assertThat((Duration) got[1]).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anEmptyWaitEndsAfterItsTime() throws Exception {
        var log = log(10_000);
        var s = SessionIds.newId();
        long start = System.nanoTime();
        var b = log.read(s, 0, 10, Duration.ofMillis(300));
        assertThat(b.events()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    }

    @Test
    void trimmedEventsAreReportedAsAGapAndTheRestFollowsWithoutHoles() throws Exception {
        var log = log(50);
        var s = SessionIds.newId();
        for (int i = 0; i < 10; i++)
            log.appendAll(IntStream.range(0, 100).mapToObj(j -> line(s, "x")).toList());
        var b = log.read(s, 0, 10_000, Duration.ZERO);
        assertThat(b.gap()).isTrue();
        assertThat(b.firstAvailable()).isGreaterThan(1).isEqualTo(b.events().getFirst().seq());
        assertThat(b.events()).extracting(SessionEvent::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(b.firstAvailable(), 1000).boxed().toList());
        // a reader whose position is still held sees no gap
        assertThat(log.read(s, 999, 10, Duration.ZERO).gap()).isFalse();
    }

    @Test
    void concurrentAppendersGetDistinctGapFreeSeqsAndEachKeepsItsOrder() throws Exception {
        var log = log(100_000);
        var s = SessionIds.newId();
        var writers = IntStream.range(0, 4).mapToObj(w -> CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 250; i++) log.append(line(s, w + ":" + i));
        })).toList();
        writers.forEach(CompletableFuture::join);
        var all = readAll(log, s, 0);
        assertThat(all).extracting(SessionEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 1000).boxed().toList());
        for (int w = 0; w < 4; w++) {
            var prefix = w + ":";
            assertThat(all.stream().map(e -> ((SessionEvent.Log) e).message()).filter(m -> m.startsWith(prefix)).toList())
                    .containsExactlyElementsOf(IntStream.range(0, 250).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void framesAreTheEventsAsSseFramesAGapFirstAndNothingAfterTheEnd() throws Exception {
        var log = log(50);
        var s = SessionIds.newId();
        for (int i = 0; i < 3; i++) log.appendAll(IntStream.range(0, 100).mapToObj(j -> line(s, "é \"quoted\"\nline")).toList());
        log.append(new SessionEvent.Status(s, 0, Instant.parse("2026-12-01T10:00:01Z"), SessionStatus.SUCCEEDED));
        log.append(line(s, "after the end"));
        var sink = new RecordingSink();
        var batch = log.readFrames(s, 0, 10_000, Duration.ZERO, sink);

        var held = log.read(s, 0, 10_000, Duration.ZERO);
        assertThat(sink.gaps).containsExactly(List.of(0L, held.firstAvailable()));
        var expected = new ArrayList<String>();
        var frames = new SseFrames(Json.newMapper());
        for (var e : held.events()) {
            var out = new ByteArrayOutputStream();
            frames.write(e, out);
            expected.add(out.toString(StandardCharsets.UTF_8));
            if (e instanceof SessionEvent.Status) break;
        }
        assertThat(sink.frames).containsExactlyElementsOf(expected);
        assertThat(sink.frames.getLast()).startsWith("id: 301\nevent: status\ndata: {").endsWith("}\n\n");
        assertThat(sink.frames.getFirst()).contains("\\\"quoted\\\"\\nline").doesNotContain("\"quoted\"");
        assertThat(batch.count()).isEqualTo(expected.size());
        assertThat(batch.lastSeq()).isEqualTo(301);
        assertThat(batch.end()).isNotNull().extracting(SessionEvent.Status::status).isEqualTo(SessionStatus.SUCCEEDED);
        assertThat(frames.read(sink.bytes.getFirst(), 0, sink.bytes.getFirst().length)).isEqualTo(held.events().getFirst());

        var rest = new RecordingSink();
        var tail = log.readFrames(s, 301, 10, Duration.ZERO, rest);
        assertThat(rest.gaps).isEmpty();
        assertThat(rest.frames).singleElement().asString().startsWith("id: 302\nevent: log\n");
        assertThat(tail).isEqualTo(new EventLog.FrameBatch(1, 302, null));
        assertThat(log.readFrames(s, 302, 10, Duration.ZERO, new RecordingSink())).isEqualTo(new EventLog.FrameBatch(0, 302, null));
    }

    /** Keeps what {@link EventLog#readFrames} gives it, copied (the bytes are the log's). */
    static final class RecordingSink implements EventLog.FrameSink {
        final List<List<Long>> gaps = new ArrayList<>();
        final List<String> frames = new ArrayList<>();
        final List<byte[]> bytes = new ArrayList<>();

        @Override
        public void gap(long requestedAfter, long firstAvailable) {
            assertThat(frames).as("a gap comes before any frame").isEmpty();
            gaps.add(List.of(requestedAfter, firstAvailable));
        }

        @Override
        public void frame(byte[] b, int offset, int length) {
            bytes.add(java.util.Arrays.copyOfRange(b, offset, offset + length));
            frames.add(new String(b, offset, length, StandardCharsets.UTF_8));
        }
    }
}
