package dev.labdesk.desktop.upload;

import java.time.Duration;

/** Human sizes and times: 1.4 MiB, 12 s. */
public final class Sizes {
    private Sizes() {}

    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = -1;
        do {
            v /= 1024;
            i++;
        } while (v >= 1024 && i < units.length - 1);
        return String.format(v < 10 ? "%.1f %s" : "%.0f %s", v, units[i]);
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
