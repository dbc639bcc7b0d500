package dev.labdesk.worker.upload;

import dev.labdesk.model.FieldError;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.RelativePaths;
import dev.labdesk.worker.volume.VolumeUpload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The file parts of one upload: checks each relative path (rules, duplicates after
 * normalisation, a file where another file's folder should be), then streams the part's bytes
 * to the volume while hashing them, once, in the same pass. The hashing happens here, on the
 * request's thread (or the {@link ParallelHasher}); creating and writing the files happens on a
 * {@link FileWriterStage}, so reading the body does not wait for the file system.
 */
final class FileWriterSink implements AutoCloseable {
    /** The first bytes of each file are hashed inline: handing small files to another thread costs more than it saves. */
    static final long INLINE_HASH_BYTES = 1024 * 1024;
    private final VolumeUpload volume;
    private final ParallelHasher hasher;
    private final List<FileEntry> manifest = new ArrayList<>();
    private final Set<String> fileKeys = new HashSet<>();
    private final Set<String> folderKeys = new HashSet<>();
    /**
     * Bytes on their way to the open file. Off-heap, so the kernel reads them as they are (a heap
     * array would be copied into a per-thread direct buffer on every write), and large enough that a
     * small file is one {@code write(2)} and one hand-over to the writer: open, write and close.
     */
    static final int WRITE_BUFFER_BYTES = 256 * 1024;
    private FileWriterStage stage; // started by the first file
    private ByteBuffer pending; // held from open to finish: a file is open while it is set
    private WritableByteChannel out; // a file larger than one buffer, written on this thread
    private final MessageDigest sha256;
    private String path;
    private long size;

    FileWriterSink(VolumeUpload volume) {
        this(volume, null);
    }

    /** With a hasher, large files are hashed on another thread while they are written. */
    FileWriterSink(VolumeUpload volume, ParallelHasher hasher) {
        this.volume = volume;
        this.hasher = hasher;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        sha256.reset();
    }

    boolean isOpen() {
        return pending != null;
    }

    /**
     * Jetty's parser hands over a file part in many small slices (it cuts at every byte that could
     * start a boundary), so this runs hundreds of times per file: absolute, allocation-free copies.
     */
    void write(ByteBuffer bytes) throws IOException {
        int n = bytes.remaining();
        if (n == 0) return;
        if (hasher != null && size + n > INLINE_HASH_BYTES) hasher.submit(sha256, bytes.duplicate());
        else if (bytes.hasArray()) sha256.update(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
        else sha256.update(bytes.duplicate());
        int at = bytes.position();
        int left = n;
        while (left > 0) {
            if (!pending.hasRemaining()) drain();
            int take = Math.min(left, pending.remaining());
            pending.put(pending.position(), bytes, at, take);
            pending.position(pending.position() + take);
            at += take;
            left -= take;
        }
        size += n;
    }

    /** The buffer is full: the file is a large one, written from here on by this thread. */
    private void drain() throws IOException {
        if (out == null) out = volume.create(path);
        pending.flip();
        while (pending.hasRemaining()) out.write(pending);
        pending.clear();
    }

    void finish() throws IOException {
        if (hasher != null) hasher.awaitDone(hasher.lastSubmitted());
        if (out == null) {
            var whole = pending;
            pending = null;
            stage.submit(path, whole); // a small file: one hand-over, created and written by the stage
        } else {
            try {
                drain();
                out.close();
            } finally {
                out = null;
                stage.release(pending);
                pending = null;
            }
        }
        manifest.add(new FileEntry(path, size, HexFormat.of().formatHex(sha256.digest())));
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
        if (hasher != null) hasher.awaitDone(hasher.lastSubmitted());
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

    List<FileEntry> manifest() {
        return List.copyOf(manifest);
    }

    long bytes() {
        return manifest.stream().mapToLong(FileEntry::size).sum();
    }

    static FieldError error(int index, String message) {
        return new FieldError("files[" + index + "]", message);
    }
}
