package dev.labdesk.worker.events;

import dev.labdesk.worker.testing.Eventually;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class FrameRingTest {
    private static void put(FrameRing ring, String frame, boolean terminal) throws IOException {
        var out = ring.begin();
        var bytes = frame.getBytes(StandardCharsets.UTF_8);
        // in two writes, as the frame's prefix and its JSON arrive, so a move to a new chunk can fall between them
        out.write(bytes, 0, bytes.length / 2);
        out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        ring.commit(terminal);
    }

    private static String get(FrameRing ring, long seq) {
        return new String(ring.chunk(seq), ring.offset(seq), ring.length(seq), StandardCharsets.UTF_8);
    }

    private static String frame(long seq, int size) {
        var filler = new char[size];
        Arrays.fill(filler, (char) ('a' + seq % 26));
        return "id: " + seq + "\n" + new String(filler) + "\n\n";
    }

    @Test
    void framesOfEverySizeReadBackWholeAcrossChunks() throws IOException {
        var ring = new FrameRing(100_000);
        int[] sizes = {10, 3000, 5000, 1, 40_000, FrameRing.LAST_SMALL_CHUNK + 1000, 7, 200_000, FrameRing.LARGE_CHUNK + 10, 50};
        for (int i = 0; i < 100; i++) put(ring, frame(i + 1, sizes[i % sizes.length]), false);
        assertThat(ring.first()).isEqualTo(1);
        assertThat(ring.last()).isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            assertThat(get(ring, i + 1)).as("frame %d", i + 1).isEqualTo(frame(i + 1, sizes[i % sizes.length]));
            assertThat(ring.terminal(i + 1)).isFalse();
        }
    }

    @Test
    void theOldestGoBeyondRetentionAndTheirChunksWithThem() throws IOException {
        var ring = new FrameRing(100);
        for (int i = 1; i <= 50_000; i++) put(ring, frame(i, 1000), i == 50_000);
        assertThat(ring.first()).isEqualTo(49_901);
        assertThat(ring.last()).isEqualTo(50_000);
        for (long s = ring.first(); s <= ring.last(); s++) assertThat(get(ring, s)).isEqualTo(frame(s, 1000));
        assertThat(ring.terminal(50_000)).isTrue();
        assertThat(ring.terminal(49_999)).isFalse();
        assertThat(ring.chunk(50_000).length).as("the last array trimmed at the final status")
                .isLessThanOrEqualTo(ring.offset(50_000) + ring.length(50_000) + FrameRing.FIRST_CHUNK);
        // 100 frames of ~1 KB fit a chunk or two: the dropped ones' chunks were let go
        long distinct = java.util.stream.LongStream.rangeClosed(ring.first(), ring.last())
                .mapToObj(ring::chunk).distinct().count();
        assertThat(distinct).isLessThanOrEqualTo(2);
    }

    @Test
    void anAbortedFrameLeavesNoTrace() throws IOException {
        var ring = new FrameRing(10);
        put(ring, frame(1, 100), false);
        var out = ring.begin();
        out.write(new byte[FrameRing.FIRST_CHUNK * 3]); // moves to a new chunk, then is abandoned
        ring.abort();
        put(ring, frame(2, 100), false);
        assertThat(ring.last()).isEqualTo(2);
        assertThat(get(ring, 1)).isEqualTo(frame(1, 100));
        assertThat(get(ring, 2)).isEqualTo(frame(2, 100));
    }

    @Test
    void theNextLargeChunkIsAllocatedAheadOffTheWriterAndAFinalStatusLetsItGo() throws Exception {
        var ring = new FrameRing(1_000_000);
        long seq = 0;
        put(ring, frame(++seq, 900), false);
        // the small arrays fill up to the last of them, half full: then the large one is started ahead
        while (ring.chunk(seq).length < FrameRing.LAST_SMALL_CHUNK || ring.offset(seq) < FrameRing.LAST_SMALL_CHUNK / 2)
            put(ring, frame(++seq, 900), false);
        Eventually.within(Duration.ofSeconds(10), "the spare large chunk was allocated", ring::spareReady);
        var small = ring.chunk(seq);
        while (ring.chunk(seq) == small) put(ring, frame(++seq, 900), false);
        assertThat(ring.chunk(seq).length).isEqualTo(FrameRing.LARGE_CHUNK);
        assertThat(ring.spareReady()).as("taken by the move to the large chunk").isFalse();
        // half of the large chunk: the one after it is started ahead too, and a final status lets it go
        while (ring.offset(seq) < FrameRing.LARGE_CHUNK / 2 + 1) put(ring, frame(++seq, 900), false);
        Eventually.within(Duration.ofSeconds(10), "the next spare large chunk was allocated", ring::spareReady);
        put(ring, frame(++seq, 900), true);
        assertThat(ring.spareReady()).isFalse();
        for (long s = 1; s <= seq; s++) assertThat(get(ring, s)).isEqualTo(frame(s, 900));
    }
}
