package dev.labdesk.worker.upload;

import dev.labdesk.model.FieldError;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.RelativePaths;
import dev.labdesk.worker.volume.VolumeUpload;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.ByteBuffer;
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
 * to the volume while hashing them, once, in the same pass.
 */
final class FileWriterSink {
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
     * small file is one {@code write(2)}. Allocated on the first file, reused for every other.
     */
    static final int WRITE_BUFFER_BYTES = 256 * 1024;
    private ByteBuffer pending;
    private final MessageDigest sha256;
    private WritableByteChannel out;
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
        out = volume.create(relativePath);
        if (pending == null) pending = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
        pending.clear();
        path = relativePath;
        size = 0;
        sha256.reset();
    }

    boolean isOpen() {
        return out != null;
    }

    void write(ByteBuffer bytes) throws IOException {
        int n = bytes.remaining();
        if (n == 0) return;
        if (hasher != null && size + n > INLINE_HASH_BYTES) hasher.submit(sha256, bytes.duplicate());
        else sha256.update(bytes.duplicate());
        var rest = bytes.duplicate();
        while (rest.hasRemaining()) {
            if (!pending.hasRemaining()) drain();
            int take = Math.min(rest.remaining(), pending.remaining());
            pending.put(pending.position(), rest, rest.position(), take);
            pending.position(pending.position() + take);
            rest.position(rest.position() + take);
        }
        size += n;
    }

    private void drain() throws IOException {
        pending.flip();
        while (pending.hasRemaining()) out.write(pending);
        pending.clear();
    }

    void finish() throws IOException {
        if (hasher != null) hasher.awaitDone(hasher.lastSubmitted());
        drain();
        out.close();
        out = null;
        manifest.add(new FileEntry(path, size, HexFormat.of().formatHex(sha256.digest())));
    }

    /** Closes a file left open by a failure; its bytes go with the staging area. */
    void abandon() {
        if (out == null) return;
        if (hasher != null) hasher.awaitDone(hasher.lastSubmitted());
        try {
            out.close();
        } catch (IOException ignored) {
            // the staging area is removed as a whole
        }
        out = null;
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
