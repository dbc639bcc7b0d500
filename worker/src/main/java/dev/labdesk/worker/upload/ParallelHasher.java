package dev.labdesk.worker.upload;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hashes on a second core while the upload thread parses and writes: on a large file SHA-256
 * costs about as much CPU as everything else together. Tasks run in submission order; the
 * caller must not reuse a buffer before {@link #awaitDone} has passed the task that reads it.
 */
final class ParallelHasher implements AutoCloseable {
    private record Task(long seq, MessageDigest digest, ByteBuffer bytes) {}

    private static final Task STOP = new Task(-1, null, null);
    private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(64);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private final Thread thread;
    private long submitted;
    private volatile long done; // written under the lock; read without it by hashedUpTo

    ParallelHasher() {
        // a platform thread: hashing flat out on a virtual one would hold a carrier (see OffCarrier)
        thread = Thread.ofPlatform().name("upload-hasher").daemon().start(this::run);
    }

    /** Queues {@code bytes} (not copied) for {@code digest}; returns the task's sequence number. */
    long submit(MessageDigest digest, ByteBuffer bytes) {
        var task = new Task(++submitted, digest, bytes);
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a hash", e);
        }
        return task.seq;
    }

    /** The newest sequence number handed out (0 before the first). */
    long lastSubmitted() {
        return submitted;
    }

    /** The newest sequence number hashed so far, without waiting. */
    long hashedUpTo() {
        return done;
    }

    /** Waits until every task up to {@code seq} has been hashed. */
    void awaitDone(long seq) {
        if (done >= seq) return;
        lock.lock();
        try {
            while (done < seq) progressed.awaitUninterruptibly();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Task task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) return;
            task.digest.update(task.bytes);
            lock.lock();
            try {
                done = task.seq;
                progressed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        queue.offer(STOP);
    }
}
