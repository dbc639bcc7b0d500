package dev.labdesk.worker.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removing an agent's temporary directory. Links inside it (aliases of volume files) are removed, never followed. */
final class Scratch {
    private Scratch() {}

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: it lives under the agent's own temp directory
        }
    }
}
