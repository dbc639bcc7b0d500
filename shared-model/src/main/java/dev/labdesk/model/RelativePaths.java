package dev.labdesk.model;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Rules for the relative path a file is uploaded under ({@code raw/day1/plate 3.csv}).
 * Names are kept exactly as sent (spaces, accents); only paths that could escape the volume,
 * confuse a file system or collide with another file are refused.
 */
public final class RelativePaths {
    public static final int MAX_PATH_CHARS = 1024;
    public static final int MAX_SEGMENT_BYTES = 255;
    public static final int MAX_DEPTH = 64;
    /** The agent writes its report under this top-level folder of the volume. */
    public static final String RESERVED_TOP = "results";

    private RelativePaths() {}

    /** Why {@code path} is refused as an upload path, or empty when it is acceptable. */
    public static Optional<String> problem(String path) {
        var syntax = syntaxProblem(path);
        if (syntax.isPresent()) return syntax;
        if (path.equals(RESERVED_TOP) || path.startsWith(RESERVED_TOP + "/"))
            return Optional.of("'" + RESERVED_TOP + "/' is reserved for the agent's report");
        return Optional.empty();
    }

    /**
     * Why {@code path} could not name a file inside a volume (escapes, separators, control
     * characters, lengths), without the upload-only reservation of {@value #RESERVED_TOP}/.
     */
    public static Optional<String> syntaxProblem(String path) {
        if (path == null || path.isEmpty()) return Optional.of("must not be empty");
        if (path.length() > MAX_PATH_CHARS) return Optional.of("must be at most " + MAX_PATH_CHARS + " characters");
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch == 0) return Optional.of("must not contain NUL");
            if (Character.isISOControl(ch)) return Optional.of("must not contain control characters");
            if (ch == '\\') return Optional.of("must use / as separator, not \\");
        }
        if (path.startsWith("/")) return Optional.of("must be relative, not absolute");
        if (path.length() >= 2 && Character.isLetter(path.charAt(0)) && path.charAt(1) == ':')
            return Optional.of("must be relative, not a drive path");
        var segments = path.split("/", -1);
        if (segments.length > MAX_DEPTH) return Optional.of("must be at most " + MAX_DEPTH + " folders deep");
        for (var segment : segments) {
            if (segment.isEmpty()) return Optional.of("must not contain empty segments (// or a trailing /)");
            if (segment.equals(".") || segment.equals("..")) return Optional.of("must not contain '" + segment + "' segments");
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES)
                return Optional.of("each name must be at most " + MAX_SEGMENT_BYTES + " bytes");
            if (segment.isBlank()) return Optional.of("must not contain names made only of spaces");
        }
        return Optional.empty();
    }

    /**
     * The key two paths collide on: Unicode NFC and case folded, because volumes end up on
     * case-insensitive (macOS, Windows) and normalising (macOS) file systems too.
     */
    public static String collisionKey(String path) {
        return Normalizer.normalize(path, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }
}
