package dev.labdesk.worker.volume;

import java.io.InputStream;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A volume being written. Files go to a staging area; {@link #commit()} makes the whole volume
 * appear at once; {@link #close()} without a commit removes everything written so far.
 */
public interface VolumeUpload extends AutoCloseable {
    /**
     * A new file at a validated relative path. A channel, not a stream, so a direct buffer reaches
     * {@code write(2)} without another copy. Close it before creating the next file.
     */
    WritableByteChannel create(String relativePath) throws IOException;

    /**
     * Appends to a file of this upload, creating it if absent: resumable uploads write one file
     * over many requests, and force it to disk before they confirm an offset. The caller checks
     * the offset first ({@link #size}).
     */
    FileChannel append(String relativePath) throws IOException;

    /** Cuts a file of this upload to its first {@code length} bytes (0: sent again from the start), creating it if absent. */
    void truncate(String relativePath, long length) throws IOException;

    /** Bytes written so far to a file of this upload (0 when it does not exist yet). */
    long size(String relativePath) throws IOException;

    /** Reads back a file of this upload (to verify it). */
    InputStream read(String relativePath) throws IOException;

    /** Publishes the volume under its name. */
    void commit() throws IOException;

    /** Aborts unless committed; never throws. */
    @Override
    void close();
}
