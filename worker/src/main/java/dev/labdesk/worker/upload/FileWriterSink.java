package dev.labdesk.worker.upload;

import dev.labdesk.model.FieldError;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.RelativePaths;
import dev.labdesk.model.Sha256;
import dev.labdesk.worker.volume.VolumeUpload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The file parts of one upload: checks each relative path (rules, duplicates after
 * normalisation, a file where another file's folder should be), then streams the part's bytes
 * to the volume and hashes them, each byte read once for the hash and once for the disk. A file
 * that fits one buffer is collected there and handed whole to a {@link FileWriterStage}, which
 * hashes, creates and writes it on its own thread. A larger file is written by the request's
 * thread straight from Jetty's network buffers (no copy in user space) while the
 * {@link ParallelHasher} hashes the same buffers on another core.
 */
final class FileWriterSink implements AutoCloseable {
    private final VolumeUpload volume;
    private final ParallelHasher hasher;
    private final List<Entry> manifest = new ArrayList<>();
    private final Set<String> fileKeys = new HashSet<>();
    private final Set<String> folderKeys = new HashSet<>();
    /**
     * A small file on its way to the writer. Off-heap, so the kernel reads it as it is (a heap
     * array would be copied into a per-thread direct buffer on every write), and large enough that
     * a small file is one {@code write(2)} and one hand-over to the writer: open, write and close.
     */
    static final int WRITE_BUFFER_BYTES = 256 * 1024;
    private FileWriterStage stage; // started by the first file
    private ByteBuffer pending; // held from open to finish: a file is open while it is set
    private WritableByteChannel out; // a file larger than one buffer, written on this thread
    private final MessageDigest sha256 = Sha256.newDigest(); // a large file's, fed in order by the hasher
    private String path;
    private long size;

    /** A manifest line: a large file's hash is known at its end, a small file's once the writer has it. */
    private record Entry(String path, long size, String sha256, FileWriterStage.Digest later) {
        FileEntry entry() {
            return new FileEntry(path, size, sha256 != null ? sha256 : later.hex());
        }
    }

    /** For checking paths only ({@link #accept}); nothing can be written through it. */
    FileWriterSink(VolumeUpload volume) {
        this(volume, null);
    }

    /** {@code hasher}: hashes large files on another core while they are written; without it they are hashed inline. */
    FileWriterSink(VolumeUpload volume, ParallelHasher hasher) {
        this.volume = volume;
        this.hasher = hasher;
    }

    /** Why {@code relativePath} cannot be part of this upload, checked against the files before it. */
    Optional<String> accept(String relativePath) {
        var problem = RelativePaths.problem(relativePath);
        if (problem.isPresent()) return problem;
        var key = RelativePaths.collisionKey(relativePath);
        if (fileKeys.contains(key)) return Optional.of("is a duplicate of an earlier file (names are compared ignoring case and Unicode form)");
        if (folderKeys.contains(key)) return Optional.of("is a file where an earlier file needs a folder of the same name");
        for (int slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1)) {
            if (fileKeys.contains(key.substring(0, slash))) return Optional.of("needs a folder where an earlier file has the same name");
        }
        fileKeys.add(key);
        for (int slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1)) folderKeys.add(key.substring(0, slash));
        return Optional.empty();
    }

    void open(String relativePath) throws IOException {
        if (stage == null) stage = new FileWriterStage(volume, WRITE_BUFFER_BYTES);
        pending = stage.take();
        out = null;
        path = relativePath;
        size = 0;
    }

    boolean isOpen() {
        return pending != null;
    }

    /**
     * The next bytes of the open file: a slice of one of Jetty's buffers, which the caller keeps
     * unreleased until {@link ParallelHasher#hashedUpTo()} has passed {@link ParallelHasher#lastSubmitted()}
     * as it was after this call. Runs once or twice per 64 KiB of body: absolute, allocation-free copies.
     */
    void write(ByteBuffer bytes) throws IOException {
        int n = bytes.remaining();
        if (n == 0) return;
        if (out == null) {
            if (n <= pending.remaining()) {
                pending.put(pending.position(), bytes, bytes.position(), n);
                pending.position(pending.position() + n);
                size += n;
                return;
            }
            becomeLarge();
        }
        writeAndHash(bytes.duplicate());
        size += n;
    }

    /** The file outgrew its buffer: from here on it is written by this thread, what was collected first. */
    private void becomeLarge() throws IOException {
        out = volume.create(path);
        sha256.reset();
        pending.flip();
        writeAndHash(pending.duplicate()); // pending goes back to the pool at finish, after the hasher is done with it
    }

    private void writeAndHash(ByteBuffer bytes) throws IOException {
        if (hasher != null) hasher.submit(sha256, bytes.duplicate());
        else sha256.update(bytes.duplicate());
        while (bytes.hasRemaining()) out.write(bytes);
    }

    void finish() throws IOException {
        if (out == null) {
            var whole = pending;
            pending = null;
            manifest.add(new Entry(path, size, null, stage.submit(path, whole))); // hashed and written by the stage
            return;
        }
        try {
            out.close();
        } finally {
            out = null;
            if (hasher != null) hasher.awaitDone(hasher.lastSubmitted());
            stage.release(pending);
            pending = null;
        }
        manifest.add(new Entry(path, size, Sha256.hexOf(sha256), null));
    }

    /**
     * Waits until every file is on the volume; throws if writing any of them failed. The manifest
     * is only true after this.
     */
    void complete() throws IOException {
        if (stage != null) stage.sync();
    }

    /** Closes a file left open by a failure; its bytes go with the staging area. */
    void abandon() {
        if (pending == null) return;
        if (hasher != null) hasher.awaitDone(hasher.lastSubmitted()); // it may still be reading pending
        stage.release(pending);
        pending = null;
        if (out == null) return;
        try {
            out.close();
        } catch (IOException ignored) {
            // the staging area is removed as a whole
        }
        out = null;
    }

    /** Stops the writer once its queued steps are done; before the staging area is removed or published. */
    @Override
    public void close() {
        if (stage != null) stage.close();
    }

    /** Every file's path, size and hash, in the order they came; small files' hashes are there once {@link #complete()} returned. */
    List<FileEntry> manifest() {
        return manifest.stream().map(Entry::entry).toList();
    }

    long bytes() {
        return manifest.stream().mapToLong(Entry::size).sum();
    }

    static FieldError error(int index, String message) {
        return new FieldError("files[" + index + "]", message);
    }
}
