package dev.labdesk.worker.agent.analysis.experiment;

import java.util.ArrayList;

import java.util.List;
import java.util.Optional;

/**
 * A table as the hypothesis test sees it: every value as text in a DuckDB temporary table ({@code sql}),
 * each column with how many of its values read as numbers, durations or timestamps, and its distinct values
 * when there are few ({@link FrameColumn#levels}). {@code preamble} is the text above the header (a plate reader's header block).
 */
record Frame(String name, String sql, long rows, List<FrameColumn> columns, List<String> notes, String preamble) {
    Frame {
        columns = List.copyOf(columns);
        notes = List.copyOf(notes);
    }

    Optional<FrameColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    Frame withNote(String note) {
        var n = new ArrayList<>(notes);
        n.add(note);
        return new Frame(name, sql, rows, columns, n, preamble);
    }
}
