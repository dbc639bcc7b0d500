package dev.labdesk.desktop.upload;

import java.nio.file.LinkOption;
import java.util.Optional;

import dev.labdesk.desktop.client.LocalFile;
import dev.labdesk.model.RelativePaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns what the user dropped or picked into upload entries. A dropped folder keeps its own name as
 * the top of every path ({@code plates/day1/a.csv}), as a browser's folder drop does; a dropped
 * file is uploaded under its name. Symbolic links are not followed (they could leave the folder).
 */
public final class DatasetFiles {
    private DatasetFiles() {}

    public static List<LocalFile> expand(List<Path> dropped) throws IOException {
        var out = new ArrayList<LocalFile>();
        for (var p : dropped) {
            var name = p.getFileName() == null ? p.toString() : p.getFileName().toString();
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                            .sorted(Comparator.comparing(Path::toString))
                            .forEach(f -> out.add(entry(f, name + "/" + relative(p, f))));
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                out.add(entry(p, name));
            }
        }
        return out;
    }

    private static String relative(Path root, Path file) {
        var parts = new ArrayList<String>();
        for (var segment : root.relativize(file)) parts.add(segment.toString());
        return String.join("/", parts);
    }

    private static LocalFile entry(Path file, String relativePath) {
        try {
            return new LocalFile(file, relativePath, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Why a path would be refused by the worker, checked before sending; empty when fine. */
    public static Optional<String> problem(LocalFile f) {
        return RelativePaths.problem(f.relativePath());
    }
}
