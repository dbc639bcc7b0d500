package dev.labdesk.worker.volume;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A volume being written. Files go to a staging area; {@link #commit()} makes the whole volume
 * appear at once; {@link #close()} without a commit removes everything written so far.
 */
public interface VolumeUpload extends AutoCloseable {
    /** A new file at a validated relative path. Close the stream before creating the next file. */
    OutputStream create(String relativePath) throws IOException;

    /** Publishes the volume under its name. */
    void commit() throws IOException;

    /** Aborts unless committed; never throws. */
    @Override
    void close();
}
