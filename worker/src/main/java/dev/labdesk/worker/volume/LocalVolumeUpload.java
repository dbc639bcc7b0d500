package dev.labdesk.worker.volume;

import java.util.HashSet;
import java.util.Set;

import dev.labdesk.model.RelativePaths;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One upload into a staging directory; see {@link LocalVolumeStore}. */
final class LocalVolumeUpload implements VolumeUpload {
    private final Path stagingDir;
    private final Path target;
    /** A resumable upload's: a file it creates is made durable with its folders, so a confirmed offset's file is found after a crash. */
    private final boolean durable;
    /** Folders made so far: a 2,000-file upload would otherwise ask the file system 2,000 times. */
    private final Set<Path> folders = new HashSet<>();
    private boolean committed;
    private boolean closed;

    LocalVolumeUpload(Path stagingDir, Path target, boolean durable) {
        this.stagingDir = stagingDir;
        this.target = target;
        this.durable = durable;
    }

    @Override
    public WritableByteChannel create(String relativePath) throws IOException {
        var file = resolve(relativePath);
        ensureFolder(file.getParent());
        return Files.newByteChannel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public FileChannel append(String relativePath) throws IOException {
        var file = resolve(relativePath);
        ensureFolder(file.getParent());
        boolean isNew = durable && !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (isNew) {
            try {
                LocalVolumeStore.syncDirectory(file.getParent());
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }
        return channel;
    }

    @Override
    public void truncate(String relativePath, long length) throws IOException {
        var file = resolve(relativePath);
        ensureFolder(file.getParent());
        try (var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.truncate(length);
            if (durable) channel.force(true);
        }
    }

    @Override
    public long size(String relativePath) throws IOException {
        var file = resolve(relativePath);
        return Files.exists(file) ? Files.size(file) : 0;
    }

    @Override
    public InputStream read(String relativePath) throws IOException {
        return Files.newInputStream(resolve(relativePath));
    }

    private synchronized void ensureFolder(Path folder) throws IOException {
        if (folders.contains(folder)) return;
        if (durable) {
            // each folder made is made durable in its parent, top down
            var f = stagingDir;
            for (var name : stagingDir.relativize(folder)) {
                f = f.resolve(name.toString());
                if (!Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(f);
                    LocalVolumeStore.syncDirectory(f.getParent());
                }
            }
        } else {
            Files.createDirectories(folder);
        }
        folders.add(folder);
    }

    private Path resolve(String relativePath) {
        if (committed || closed) throw new IllegalStateException("upload is over");
        var problem = RelativePaths.problem(relativePath);
        if (problem.isPresent()) throw new IllegalArgumentException(relativePath + ": " + problem.get());
        var file = stagingDir.resolve(relativePath).normalize();
        // the path rules already exclude escapes; this is the second lock on the same door
        if (!file.startsWith(stagingDir) || file.equals(stagingDir)) throw new IllegalArgumentException("outside the volume: " + relativePath);
        return file;
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
