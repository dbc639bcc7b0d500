package dev.labdesk.worker.volume;

import dev.labdesk.model.Health;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a session's dataset lives: one volume per session, named {@code dataset-volume-{session_id}}.
 * Two implementations: local directories, and Modal volumes through the Python bridge.
 * Volumes are never removed automatically; only an upload that failed before its commit
 * leaves nothing behind.
 */
public interface VolumeStore {
    /** {@code local} or {@code modal}, for /health and the UI. */
    String kind();

    /** Starts writing a new volume. Nothing is visible under the volume's name until {@link VolumeUpload#commit()}. */
    VolumeUpload begin(String sessionId) throws IOException;

    boolean exists(String sessionId);

    /** Where an agent on this machine can read the committed volume (local volumes; a mounted or synced copy for Modal). */
    Path localPath(String sessionId);

    /** A file of a committed volume, if it exists and is a regular file inside the volume. */
    Optional<Path> file(String sessionId, String relativePath);

    Health.Dependency health();

    /** Bytes free on the file system where uploads are staged (what an upload may still take). */
    long usableSpace() throws IOException;
}
