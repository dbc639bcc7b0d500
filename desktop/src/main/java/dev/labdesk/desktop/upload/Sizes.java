package dev.labdesk.desktop.upload;

import dev.labdesk.model.ByteSizes;

import java.time.Duration;

/** Human sizes and times: 1.4 MiB, 12 s. */
public final class Sizes {
    private Sizes() {}

    /** The form the worker's report and page use too. */
    public static String bytes(long n) {
        return ByteSizes.human(n);
    }

    /** "1 file", "5 files". */
    public static String files(long n) {
        return n == 1 ? "1 file" : n + " files";
    }

    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
