package dev.labdesk.worker.agent.analysis;

import java.util.List;
import java.util.Map;

/**
 * What the profiler found in one table: every number here is exact unless its field says otherwise
 * ({@code distinctExact}). {@code nulls} counts missing cells, placeholder tokens ({@code NA}, {@code .}, …)
 * included; {@code invalid} counts values that did not fit the column's type (they are left out of its statistics).
 * Histograms, top values and correlations are here in full so charts can be drawn from this record alone.
 * {@code preamble}: the metadata lines above the table's header row, if its file has any (never rows).
 * {@code grid}: which of the plate grids stacked in its file (or sheet) this table is; null for a table that is a whole file or sheet.
 */
public record TableProfile(String path, FileFormat format, long rows, List<Column> columns, List<Map<String, String>> sample,
                           Long duplicateRows, long missingCells, List<Correlation> correlations, List<Alert> alerts, List<String> notes,
                           List<MetadataLine> preamble, Grid grid) {

    /** A table without a preamble. */
    public TableProfile(String path, FileFormat format, long rows, List<Column> columns, List<Map<String, String>> sample,
                        Long duplicateRows, long missingCells, List<Correlation> correlations, List<Alert> alerts, List<String> notes) {
        this(path, format, rows, columns, sample, duplicateRows, missingCells, correlations, alerts, notes, List.of(), null);
    }

    /**
     * One of several plate grids stacked in a file: {@code of} the file's (or sheet's) path, as a table of it would be named;
     * {@code title} its title (null when it has none); {@code header} the 1-based line of its column numbers, {@code last} of its last row.
     */
    public record Grid(String of, String title, long header, long last) {}

    /**
     * One line of the metadata block above a table's header (an instrument's export: software version, file path, date):
     * its first field the key (without a trailing colon), the others its value; {@code line} is 1-based in the file or sheet.
     */
    public record MetadataLine(long line, String key, String value) {}

    /**
     * One column. {@code kind}: numeric, datetime, boolean, categorical, text or id (unique or sequential
     * identifiers: no mean, spread or quantiles). {@code min}/{@code max} are text (dates in ISO form).
     */
    public record Column(String name, String type, String kind, String sourceType, long count, long nulls, Map<String, Long> missingTokens,
                         long invalid, List<String> invalidExamples, Long distinct, boolean distinctExact, String min, String max,
                         Double mean, Double std, Double p5, Double p25, Double median, Double p75, Double p95, Long zeros, Long negatives,
                         Double skewness, Histogram histogram, List<Value> topValues, Long singletons, Double imbalance,
                         Double lengthMin, Double lengthMean, Double lengthMax, String dateFormat, String dateNote, Gap largestGap) {}

    /** {@code edges} has one more entry than {@code counts}; datetime edges are also given as ISO text in {@code labels}. */
    public record Histogram(List<Double> edges, List<Long> counts, List<String> labels) {}

    /** A value, how often it occurs, and its share of the column's non-missing values. */
    public record Value(String value, long count, double share) {}

    /** The longest stretch between consecutive distinct dates, in seconds, and the median one. */
    public record Gap(String from, String to, double seconds, double medianSeconds) {}

    public record Correlation(String a, String b, Double pearson, Double spearman) {}

    /** An alert as ydata-profiling raises them: {@code type} is constant, unique, id_like, missing, skewed, zeros, imbalance, placeholders, mixed_types, high_correlation or duplicates. */
    public record Alert(String column, String type, String message) {}

    public TableProfile withPreamble(List<MetadataLine> lines) {
        return new TableProfile(path, format, rows, columns, sample, duplicateRows, missingCells, correlations, alerts, notes, lines, grid);
    }

    public TableProfile withGrid(Grid g) {
        return new TableProfile(path, format, rows, columns, sample, duplicateRows, missingCells, correlations, alerts, notes, preamble, g);
    }

    public TableProfile {
        columns = List.copyOf(columns);
        sample = List.copyOf(sample);
        correlations = List.copyOf(correlations);
        alerts = List.copyOf(alerts);
        notes = List.copyOf(notes);
        preamble = List.copyOf(preamble);
    }
}
