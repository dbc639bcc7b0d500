package dev.labdesk.worker.agent.analysis;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Reasons shown to researchers name files by their path in the dataset, never by where the server keeps them. */
public final class Reasons {
    private static final Pattern ABSOLUTE = Pattern.compile("(?<![\\w.])/(?:[^\\s'\"/:]+/)+[^\\s'\":,)]*");

    private Reasons() {}

    public static String withoutServerPaths(String reason, Path volume, Path scratch) {
        if (reason == null) return null;
        var out = reason;
        for (var root : new Path[] {volume, scratch}) {
            if (root == null) continue;
            var abs = root.toAbsolutePath().toString();
            out = out.replace(abs + "/", "").replace(abs, ".");
        }
        return ABSOLUTE.matcher(out).replaceAll("<file>");
    }
}
