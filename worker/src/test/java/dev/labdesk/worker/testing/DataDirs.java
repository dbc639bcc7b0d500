package dev.labdesk.worker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a worker's data directory holds, for asserting that a refused upload left nothing. */
public final class DataDirs {
    private DataDirs() {}

    /** Every regular file and every volume directory under {@code dataDir/volumes}, staging (of bodies and of resumable uploads) included. */
    public static List<String> volumeContents(Path dataDir) throws IOException {
        var volumes = dataDir.resolve("volumes");
        if (!Files.exists(volumes)) return List.of();
        try (Stream<Path> all = Files.walk(volumes)) {
            return all.filter(p -> !p.equals(volumes) && !p.equals(volumes.resolve(".staging")) && !p.equals(volumes.resolve(".resumable")))
                    .map(p -> volumes.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }
}
