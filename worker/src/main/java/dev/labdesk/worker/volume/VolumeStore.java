package dev.labdesk.worker.volume;

import dev.labdesk.model.Health;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

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

    /**
     * Starts writing a new volume whose staged files outlive a restart of the worker (a resumable
     * upload): {@link #reopen} finds it again after one; its {@link VolumeUpload#close()} still removes it.
     */
    VolumeUpload beginResumable(String sessionId) throws IOException;

    /**
     * The resumable volume of {@code sessionId} staged before this worker started, if it is still there.
     * One published but whose session was never recorded (a crash in between) is taken back into staging
     * when {@code unpublish} allows it, so its upload can be completed again.
     */
    Optional<VolumeUpload> reopen(String sessionId, boolean unpublish) throws IOException;

    /** Removes the resumable volumes staged for any session but {@code pending} (uploads that have no record any more). */
    void keepResumable(Set<String> pending);

    boolean exists(String sessionId);

    /** Where an agent on this machine can read the committed volume (local volumes; a mounted or synced copy for Modal). */
    Path localPath(String sessionId);

    /** A file of a committed volume, if it exists and is a regular file inside the volume. */
    Optional<Path> file(String sessionId, String relativePath);

    Health.Dependency health();

    /** Bytes free on the file system where uploads are staged (what an upload may still take). */
    long usableSpace() throws IOException;
}
