package dev.labdesk.worker.agent.analysis.experiment;

import java.util.List;

/**
 * One column of a {@link Frame}: {@code values} non-missing cells, of which {@code numbers} read as numbers,
 * {@code durations} as h:mm(:ss) and {@code timestamps} as dates or date-times; {@code levels} are its distinct
 * values (trimmed) when there are at most {@link #LEVELS} of them, empty otherwise.
 */
record FrameColumn(String name, long values, long numbers, long durations, long timestamps, long distinct, List<String> levels) {
    static final int LEVELS = 50;

    FrameColumn {
        levels = List.copyOf(levels);
    }

    /** Nine values in ten read as numbers: a measurement (the rest are typos or notes, left out). */
    boolean numeric() {
        return values > 0 && numbers * 10 >= values * 9;
    }

    boolean duration() {
        return values > 0 && durations * 10 >= values * 9;
    }

    boolean timestamp() {
        return values > 0 && timestamps * 10 >= values * 9 && !numeric();
    }
}
