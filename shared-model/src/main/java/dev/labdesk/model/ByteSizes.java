package dev.labdesk.model;

import java.util.Locale;

/** Byte counts as a person reads them, the same in the app, the worker's log and the report: 812 B, 3.4 KiB, 1.2 GiB. */
public final class ByteSizes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteSizes() {}

    /** Binary units with one decimal; a count that would round up to 1024.0 of a unit is written in the next one. */
    public static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1023.95 && u < UNITS.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
    }
}
