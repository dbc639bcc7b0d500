package dev.labdesk.worker.agent.analysis;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A streaming check of how deeply a JSON (or JSON-lines) file nests its arrays and objects, done
 * before DuckDB sees it: DuckDB's JSON reader recurses per level in native code, and a file nested
 * a few hundred thousand deep crashes the whole process instead of failing the one query.
 * One pass over the bytes, no parsing; strings are skipped so brackets inside them do not count.
 */
public final class JsonDepth {
    /** Deeper than any real dataset nests; as deep as Jackson's own default limit. */
    public static final int LIMIT = 1_000;

    private JsonDepth() {}

    /** Why the file must not be given to DuckDB, or empty when it nests no deeper than {@code limit}. */
    public static Optional<String> tooDeep(Path file, int limit) throws IOException {
        try (var raw = Files.newInputStream(file);
             var in = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                     ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : new BufferedInputStream(raw, 1 << 16)) {
            return deeperThan(in, limit) ? Optional.of("not read: nested deeper than " + String.format(Locale.ROOT, "%,d", limit)
                    + " levels, more than the data engine reads safely") : Optional.empty();
        }
    }

    static boolean deeperThan(InputStream in, int limit) throws IOException {
        var buffer = new byte[1 << 16];
        int depth = 0;
        boolean inString = false, escaped = false;
        for (int n; (n = in.read(buffer)) > 0; ) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (inString) {
                    if (escaped) escaped = false;
                    else if (b == '\\') escaped = true;
                    else if (b == '"') inString = false;
                } else if (b == '"') {
                    inString = true;
                } else if (b == '[' || b == '{') {
                    if (++depth > limit) return true;
                } else if (b == ']' || b == '}') {
                    if (depth > 0) depth--;
                }
            }
        }
        return false;
    }
}
