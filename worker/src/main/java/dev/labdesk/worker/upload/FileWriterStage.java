package dev.labdesk.worker.upload;

import dev.labdesk.model.Sha256;
import dev.labdesk.worker.volume.VolumeUpload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;

/**
 * Small files of an upload are hashed, created, written and closed on this thread while the
 * request's thread goes on reading and parsing the body: hashing and the file system's part (create,
 * write, close) are most of a many-file upload's work, and done inline the socket waits for both
 * (docs/BENCHMARKS.md, "Uploads"). Each file is hashed here in one pass over its whole buffer,
 * not slice by slice as the parser hands it over. A file that outgrows one buffer is written by
 * the request's thread itself: handed over in pieces, its bytes would cross cores once more.
 *
 * <p>Bytes travel in a few direct buffers that go round between the two threads, so memory is
 * bounded whatever the upload's size, and a reader that outpaces the disk waits for a free buffer.
 * The first failure is kept; every later file is skipped, and the request thread sees the
 * failure at its next call.
 */
final class FileWriterStage implements AutoCloseable {
    /** Buffers in rotation: one being filled, the others queued or being hashed and written. */
    static final int BUFFERS = 8;

    /** A small file's SHA-256, set by the writer thread; read it only after {@link #sync()}. */
    static final class Digest {
        private String hex;

        String hex() {
            return hex;
        }
    }

    /** One whole file for the writer, or ({@code done} set) a barrier the request thread waits on. */
    private record Step(String path, ByteBuffer bytes, Digest digest, CountDownLatch done) {}

    private static final Step STOP = new Step(null, null, null, null);

    private final VolumeUpload volume;
    private final BlockingQueue<Step> steps = new ArrayBlockingQueue<>(BUFFERS * 4);
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
    private final Thread thread;
    private final MessageDigest sha256 = Sha256.newDigest(); // this thread's own
    private volatile IOException failure;

    FileWriterStage(VolumeUpload volume, int bufferBytes) {
        this.volume = volume;
        for (int i = 0; i < BUFFERS; i++) free.add(ByteBuffer.allocateDirect(bufferBytes));
        // a platform thread: file writes would pin a virtual thread's carrier anyway
        this.thread = Thread.ofPlatform().daemon().name("upload-writer").start(this::run);
    }

    /** An empty buffer to fill; waits while all are queued for writing. */
    ByteBuffer take() throws IOException {
        checkFailure();
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the volume", e);
        }
    }

    /**
     * Queues the whole file {@code path}: {@code filled} (flipped here) comes back to the pool once
     * hashed and written. The returned digest is set by then.
     */
    Digest submit(String path, ByteBuffer filled) throws IOException {
        checkFailure();
        filled.flip();
        var digest = new Digest();
        put(new Step(path, filled, digest, null));
        return digest;
    }

    /** Waits until every step queued so far is done; throws the first failure, if any. */
    void sync() throws IOException {
        var done = new CountDownLatch(1);
        put(new Step(null, null, null, done));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the volume", e);
        }
        checkFailure();
    }

    /** A buffer that was not submitted (a large file's, or one a failure left) goes back to the pool. */
    void release(ByteBuffer buffer) {
        buffer.clear();
        free.offer(buffer);
    }

    private void checkFailure() throws IOException {
        var f = failure;
        if (f != null) throw f;
    }

    private void put(Step step) throws IOException {
        try {
            steps.put(step);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while queueing a write", e);
        }
    }

    private void run() {
        while (true) {
            Step step;
            try {
                step = steps.take();
            } catch (InterruptedException e) {
                break;
            }
            if (step == STOP) break;
            if (step.done != null) {
                step.done.countDown();
                continue;
            }
            try {
                if (failure == null) write(step);
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            } finally {
                release(step.bytes);
            }
        }
    }

    private void write(Step step) throws IOException {
        sha256.reset();
        sha256.update(step.bytes.duplicate());
        step.digest.hex = Sha256.hexOf(sha256);
        try (var out = volume.create(step.path)) {
            while (step.bytes.hasRemaining()) out.write(step.bytes);
        }
    }

    /** Stops the thread once the queued steps are done (or skipped after a failure). */
    @Override
    public void close() {
        try {
            steps.put(STOP);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
        }
    }
}
