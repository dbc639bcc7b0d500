package dev.labdesk.worker.events;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One session's newest event frames, numbered {@link #first()}…{@link #last()}, packed end to end
 * into a few byte arrays. Why not an object per event: a young collection copies every retained event
 * until it is promoted, and at a thousand events a second those copies were the worker's longest
 * pauses (13–24 ms with an object graph per event, still 11–16 ms with the frames in 256 KiB arrays,
 * docs/BENCHMARKS.md, live-log tail). So a session's first half MiB goes into small arrays, doubling,
 * and a busy session's frames after that into {@link #LARGE_CHUNK} arrays: with G1's regions of 4 MiB
 * or less (heaps up to 16 GB) those are humongous objects, allocated old and never copied, and their
 * size fills whole regions. A session's final status trims its last array to what it holds.
 * A large array is made ready before it is needed, on a thread of its own: a fresh humongous array's
 * allocation (its pages faulted in) took milliseconds under the owner's lock, holding up live readers.
 * Not thread-safe: its owner's lock guards it (the spare array is handed over atomically).
 */
final class FrameRing {
    static final int FIRST_CHUNK = 4 << 10;
    /** The largest of the doubling small arrays; the next is large. */
    static final int LAST_SMALL_CHUNK = 256 << 10;
    /** 4 MiB less room for the array header and alignment, so it takes exactly 1, 2 or 4 regions, not one more. */
    static final int LARGE_CHUNK = (4 << 20) - 64;
    private static final int TERMINAL = 1 << 31;

    private final int retain;
    private final Appender appender = new Appender();
    // rings indexed by (seq - 1) % length, grown up to the retention limit
    private long[] where = new long[64]; // chunk number << 32 | offset of the frame in that chunk
    private int[] sizes = new int[64];   // frame length, | TERMINAL for a session's final status
    private long first = 1;              // oldest seq held
    private long last = 0;               // newest seq held
    private final ArrayList<byte[]> chunks = new ArrayList<>();
    private long firstChunk = 0;         // chunk number of chunks.get(0)
    private int used;                    // bytes written into the newest chunk
    private final AtomicReference<byte[]> spare = new AtomicReference<>(); // the next large chunk, once allocated
    private boolean spareComing;         // an allocation of the spare was started

    FrameRing(int retain) {
        this(retain, 0);
    }

    /** A ring whose first frame will be seq {@code after + 1}: the earlier ones are kept elsewhere (on disk). */
    FrameRing(int retain, long after) {
        if (retain < 1) throw new IllegalArgumentException("retain must be positive");
        if (after < 0) throw new IllegalArgumentException("after must not be negative");
        this.retain = retain;
        this.first = after + 1;
        this.last = after;
    }

    long first() {
        return first;
    }

    long last() {
        return last;
    }

    /** The stream the next frame (seq {@code last() + 1}) is written to; {@link #commit} or {@link #abort} ends it. */
    OutputStream begin() {
        if (chunks.isEmpty()) chunks.add(new byte[FIRST_CHUNK]);
        appender.start = used;
        return appender;
    }

    /** Keeps the frame written since {@link #begin} as seq {@code last() + 1}, dropping the oldest beyond retention. */
    long commit(boolean terminal) {
        int length = used - appender.start;
        long seq = ++last;
        ensureCapacity();
        if (last - first + 1 > where.length) first++;
        int at = index(seq);
        where[at] = (newestChunk() << 32) | appender.start;
        sizes[at] = terminal ? length | TERMINAL : length;
        dropUnusedChunks();
        if (terminal) trimNewestChunk();
        else if (used > chunks.getLast().length / 2 && chunks.getLast().length >= LAST_SMALL_CHUNK) prepareSpare();
        return seq;
    }

    /** Forgets a frame half written since {@link #begin}. */
    void abort() {
        used = appender.start;
    }

    byte[] chunk(long seq) {
        return chunks.get((int) ((where[index(seq)] >>> 32) - firstChunk));
    }

    int offset(long seq) {
        return (int) where[index(seq)];
    }

    int length(long seq) {
        return sizes[index(seq)] & ~TERMINAL;
    }

    boolean terminal(long seq) {
        return (sizes[index(seq)] & TERMINAL) != 0;
    }

    private int index(long seq) {
        return (int) ((seq - 1) % where.length);
    }

    private long newestChunk() {
        return firstChunk + chunks.size() - 1;
    }

    private void ensureCapacity() {
        long held = last - first + 1;
        if (held <= where.length || where.length >= retain) return;
        int grown = (int) Math.min((long) where.length * 2, retain);
        var w = new long[grown];
        var s = new int[grown];
        for (long seq = first; seq < last; seq++) {
            w[(int) ((seq - 1) % grown)] = where[index(seq)];
            s[(int) ((seq - 1) % grown)] = sizes[index(seq)];
        }
        where = w;
        sizes = s;
    }

    private void dropUnusedChunks() {
        long oldestNeeded = where[index(first)] >>> 32;
        while (firstChunk < oldestNeeded) {
            chunks.removeFirst();
            firstChunk++;
        }
    }

    /** Starts allocating the next large chunk off the owner's lock, unless it is ready or coming. */
    private void prepareSpare() {
        if (spareComing || spare.get() != null) return;
        spareComing = true;
        Thread.ofVirtual().name("frame-ring-chunk").start(() -> spare.compareAndSet(null, new byte[LARGE_CHUNK]));
    }

    /** Whether the next large chunk is allocated and waiting. */
    boolean spareReady() {
        return spare.get() != null;
    }

    /** A large chunk: the spare if it is ready, else allocated here. */
    private byte[] largeChunk() {
        var ready = spare.getAndSet(null);
        spareComing = false;
        return ready != null ? ready : new byte[LARGE_CHUNK];
    }

    /** Nothing should follow a final status: the unused end of the last array is given back. */
    private void trimNewestChunk() {
        spare.set(null);
        var chunk = chunks.getLast();
        if (chunk.length - used > FIRST_CHUNK) chunks.set(chunks.size() - 1, Arrays.copyOf(chunk, used));
    }

    /** Writes into the newest chunk; a frame that outgrows it moves, whole, to a new and larger one. */
    private final class Appender extends OutputStream {
        int start; // where the frame being written began in the newest chunk

        @Override
        public void write(int b) {
            room(1)[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            System.arraycopy(b, off, room(len), used, len);
            used += len;
        }

        private byte[] room(int more) {
            var chunk = chunks.getLast();
            if (chunk.length - used >= more) return chunk;
            int partial = used - start;
            int size = Math.max(chunk.length >= LAST_SMALL_CHUNK ? LARGE_CHUNK : chunk.length * 2, partial + more);
            var next = size == LARGE_CHUNK ? largeChunk() : new byte[size];
            System.arraycopy(chunk, start, next, 0, partial);
            if (start == 0) chunks.removeLast(); // it holds no kept frame: replaced rather than left empty
            chunks.add(next);
            start = 0;
            used = partial;
            return next;
        }
    }
}
