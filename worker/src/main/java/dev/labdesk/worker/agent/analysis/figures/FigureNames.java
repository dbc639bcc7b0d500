package dev.labdesk.worker.agent.analysis.figures;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * File names for one report's figures, from column and table names: lowercase ASCII letters, digits
 * and dashes only (no path separator, no dot, nothing a shell or URL must escape), at most {@link #MAX_LENGTH}
 * characters, and unique within the report (a second {@code od600} becomes {@code od600-2}).
 * One instance per report.
 */
public final class FigureNames {
    public static final int MAX_LENGTH = 64;
    private final Set<String> used = new HashSet<>();

    /** A new unique name from the given parts, joined by dashes; parts with nothing usable are left out. */
    public String unique(String... parts) {
        var joined = new StringBuilder();
        for (var p : parts) {
            var s = slug(p);
            if (s.isEmpty()) continue;
            if (!joined.isEmpty()) joined.append('-');
            joined.append(s);
        }
        var base = cut(joined.isEmpty() ? "figure" : joined.toString(), MAX_LENGTH - 4);
        var name = base;
        for (int n = 2; !used.add(name); n++) name = cut(base, MAX_LENGTH - 1 - String.valueOf(n).length()) + "-" + n;
        return name;
    }

    /** Accents dropped (é → e), anything else that is not a letter or digit a dash, dashes collapsed. */
    static String slug(String s) {
        if (s == null) return "";
        var ascii = Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        return ascii.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max).replaceAll("-+$", "");
    }

    /** Whether a name is one this class could have made: what the figure route accepts. */
    public static boolean valid(String name) {
        return name != null && name.length() <= MAX_LENGTH && name.matches("[a-z0-9]+(-[a-z0-9]+)*");
    }
}
