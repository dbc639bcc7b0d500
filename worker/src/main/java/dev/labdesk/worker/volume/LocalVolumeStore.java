package dev.labdesk.worker.volume;

import dev.labdesk.model.Health;
import dev.labdesk.model.RelativePaths;
import dev.labdesk.model.SessionIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Volumes as directories: {@code {root}/dataset-volume-{id}/…}. An upload is written under
 * {@code {root}/.staging/} on the same file system and renamed into place on commit, so a volume
 * appears whole or not at all, and a crash mid-upload leaves only staging debris, which the next
 * start removes. Resumable uploads are staged under {@code {root}/.resumable/{id}} instead, which a
 * start leaves to the pending uploads' records ({@link #keepResumable}).
 */
public final class LocalVolumeStore implements VolumeStore {
    /** Looked up when there is something to say: a first start builds this store before logging is set up (see FrontDoor). */
    private static Logger log() {
        return LoggerFactory.getLogger(LocalVolumeStore.class);
    }

    static final String STAGING = ".staging";
    static final String RESUMABLE = ".resumable";

    private final Path root;
    private final Path staging;
    private final Path resumable;

    public LocalVolumeStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.staging = this.root.resolve(STAGING);
        this.resumable = this.root.resolve(RESUMABLE);
        Files.createDirectories(staging);
        removeStagingLeftovers();
    }

    private void removeStagingLeftovers() {
        try (var leftovers = Files.list(staging)) {
            leftovers.forEach(dir -> {
                log().warn("removing an upload that never completed: {}", dir.getFileName());
                Trees.deleteQuietly(dir);
            });
        } catch (IOException e) {
            log().warn("could not clean {}: {}", staging, e.toString());
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public VolumeUpload begin(String sessionId) throws IOException {
        requireId(sessionId);
        var target = volumeDir(sessionId);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw new IOException("volume " + target.getFileName() + " exists already");
        var dir = Files.createDirectory(staging.resolve(sessionId + "-" + UUID.randomUUID()));
        return new LocalVolumeUpload(dir, target, false);
    }

    @Override
    public VolumeUpload beginResumable(String sessionId) throws IOException {
        requireId(sessionId);
        var target = volumeDir(sessionId);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw new IOException("volume " + target.getFileName() + " exists already");
        if (!Files.isDirectory(resumable, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(resumable);
            syncDirectory(root);
        }
        var dir = Files.createDirectory(resumable.resolve(sessionId));
        syncDirectory(resumable);
        return new LocalVolumeUpload(dir, target, true);
    }

    @Override
    public Optional<VolumeUpload> reopen(String sessionId, boolean unpublish) throws IOException {
        requireId(sessionId);
        var dir = resumable.resolve(sessionId);
        var target = volumeDir(sessionId);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return Optional.of(new LocalVolumeUpload(dir, target, true));
        if (!unpublish || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        Files.move(target, dir, StandardCopyOption.ATOMIC_MOVE);
        log().warn("{} was published but its session never recorded: taken back to be completed again", target.getFileName());
        return Optional.of(new LocalVolumeUpload(dir, target, true));
    }

    @Override
    public void keepResumable(Set<String> pending) {
        if (!Files.isDirectory(resumable, LinkOption.NOFOLLOW_LINKS)) return;
        try (var staged = Files.list(resumable)) {
            staged.filter(dir -> !pending.contains(dir.getFileName().toString())).forEach(dir -> {
                log().warn("removing a resumable upload that has no record: {}", dir.getFileName());
                Trees.deleteQuietly(dir);
            });
        } catch (IOException e) {
            log().warn("could not clean {}: {}", resumable, e.toString());
        }
    }

    /**
     * Makes a directory's entries (a file or folder just created in it) durable. Where a directory cannot
     * be opened (Windows), there is nothing to force: the file system journals its entries itself.
     */
    static void syncDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException notOnThisPlatform) {
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }

    @Override
    public boolean exists(String sessionId) {
        return SessionIds.valid(sessionId) && Files.isDirectory(volumeDir(sessionId), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Path localPath(String sessionId) {
        requireId(sessionId);
        return volumeDir(sessionId);
    }

    @Override
    public Optional<Path> file(String sessionId, String relativePath) {
        if (!SessionIds.valid(sessionId) || relativePath == null) return Optional.empty();
        // the agent's own results/ folder is readable here, so only the syntax rules apply
        if (RelativePaths.syntaxProblem(relativePath).isPresent()) return Optional.empty();
        var volume = volumeDir(sessionId);
        var file = volume.resolve(relativePath).normalize();
        if (!file.startsWith(volume) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try {
            // a symlink anywhere on the way could point outside the volume
            return file.toRealPath().startsWith(volume.toRealPath()) ? Optional.of(file) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Health.Dependency health() {
        try {
            var store = Files.getFileStore(root);
            long free = store.getUsableSpace();
            if (!Files.isWritable(root)) return new Health.Dependency("down", "local: " + root + " is not writable");
            return new Health.Dependency("ok", "local: " + root + ", " + (free / (1024 * 1024)) + " MiB free");
        } catch (IOException e) {
            return new Health.Dependency("down", "local: " + e.getMessage());
        }
    }

    @Override
    public long usableSpace() throws IOException {
        return Files.getFileStore(root).getUsableSpace();
    }

    private Path volumeDir(String sessionId) {
        return root.resolve(SessionIds.volumeName(sessionId));
    }

    private static void requireId(String sessionId) {
        if (!SessionIds.valid(sessionId)) throw new IllegalArgumentException("not a session id: " + sessionId);
    }

    /** Moves the staging directory into place in one rename. */
    static void publish(Path stagingDir, Path target) throws IOException {
        Files.move(stagingDir, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
