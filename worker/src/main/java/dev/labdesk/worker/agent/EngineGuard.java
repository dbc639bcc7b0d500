package dev.labdesk.worker.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What outlives a native crash of the data engine, in a directory of the agent's own (outside the
 * volume): the file DuckDB is reading now ({@code reading}, written before each file and removed
 * after it), and the files a re-run must leave alone with why ({@code skip.properties}). A crash
 * in native code takes the whole JVM with it, so only the process that started the agent can see
 * which file did it and start it again without that file.
 */
final class EngineGuard {
    static final String READING = "reading";
    static final String SKIP = "skip.properties";

    private final Path dir; // null: no guard (an agent run in-process by a test, or in a Sandbox)

    private EngineGuard(Path dir) {
        this.dir = dir;
    }

    static EngineGuard in(Path dir) {
        return new EngineGuard(dir);
    }

    static EngineGuard none() {
        return new EngineGuard(null);
    }

    /** The files an earlier run crashed on, by relative path, with the reason the report gives. */
    Map<String, String> skipped() throws IOException {
        return dir == null ? Map.of() : load(dir);
    }

    void reading(String relativePath) {
        if (dir == null) return;
        try {
            Files.writeString(dir.resolve(READING), relativePath, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not note which file is being read", e);
        }
    }

    void done() {
        if (dir == null) return;
        try {
            Files.deleteIfExists(dir.resolve(READING));
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear the note of the file being read", e);
        }
    }

    /**
     * After the agent died with {@code exitCode}: when it was reading a file, that file is added
     * to the ones to skip and returned; empty when the agent died elsewhere (nothing a re-run would change).
     */
    static Optional<String> recordCrash(Path dir, int exitCode) {
        var reading = dir.resolve(READING);
        try {
            if (!Files.isRegularFile(reading)) return Optional.empty();
            var path = Files.readString(reading, StandardCharsets.UTF_8);
            var skip = load(dir);
            if (skip.containsKey(path)) return Optional.empty(); // it was skipped and still crashed: do not loop
            skip.put(path, "not read: the data engine crashed on it (the agent exited with code " + exitCode + ")");
            var props = new Properties();
            props.putAll(skip);
            try (var out = Files.newBufferedWriter(dir.resolve(SKIP), StandardCharsets.UTF_8)) {
                props.store(out, "files the data engine crashed on: a re-run lists them as not read");
            }
            Files.delete(reading);
            return Optional.of(path);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> load(Path dir) throws IOException {
        var file = dir.resolve(SKIP);
        var out = new TreeMap<String, String>();
        if (!Files.isRegularFile(file)) return out;
        var props = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        props.forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }
}
