package dev.labdesk.worker.volume;

import dev.labdesk.model.RelativePaths;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One upload into a staging directory; see {@link LocalVolumeStore}. */
final class LocalVolumeUpload implements VolumeUpload {
    private final Path stagingDir;
    private final Path target;
    private boolean committed;
    private boolean closed;

    LocalVolumeUpload(Path stagingDir, Path target) {
        this.stagingDir = stagingDir;
        this.target = target;
    }

    @Override
    public OutputStream create(String relativePath) throws IOException {
        if (committed || closed) throw new IllegalStateException("upload is over");
        var problem = RelativePaths.problem(relativePath);
        if (problem.isPresent()) throw new IllegalArgumentException(relativePath + ": " + problem.get());
        var file = stagingDir.resolve(relativePath).normalize();
        // the path rules already exclude escapes; this is the second lock on the same door
        if (!file.startsWith(stagingDir) || file.equals(stagingDir)) throw new IllegalArgumentException("outside the volume: " + relativePath);
        Files.createDirectories(file.getParent());
        return Channels.newOutputStream(Files.newByteChannel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    @Override
    public void commit() throws IOException {
        if (committed) return;
        if (closed) throw new IllegalStateException("upload was aborted");
        LocalVolumeStore.publish(stagingDir, target);
        committed = true;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (!committed) Trees.deleteQuietly(stagingDir);
    }
}
