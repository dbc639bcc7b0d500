package dev.labdesk.worker.agent.analysis;

import java.util.function.Consumer;
import java.util.HashSet;

import dev.labdesk.worker.agent.analysis.figures.Figure;
import dev.labdesk.worker.agent.analysis.figures.ProfileFigures;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One table's section of {@code report.md}: its size, notes and alerts, then one Markdown table per
 * kind of column. Numbers are rounded for reading, by {@link Numbers}; every one is in {@code report.json} unrounded.
 */
final class TableMarkdown {
    private static final String BARS = "▁▂▃▄▅▆▇█";
    private static final int TOP_SHOWN = 3, CORRELATIONS_SHOWN = 20;
    /** Lengths in characters are whole numbers. */
    private static final Numbers.Scale LENGTH = Numbers.Scale.fixed(0);
    /** Columns shown per table; a wider table's others are in report.json. */
    static final int COLUMNS_SHOWN = 200;

    private TableMarkdown() {}

    /** @param figures this table's figures; each is linked once, next to what it shows (the rest after the table) */
    static void render(StringBuilder md, TableProfile t, List<Figure> figures) {
        var placed = new HashSet<Figure>();
        Consumer<List<Figure>> show = list -> list.forEach(f -> {
            if (placed.add(f)) md.append(f.markdown()).append("\n\n");
        });
        Function<String, List<Figure>> ofKind = kind -> figures.stream().filter(f -> f.kind().equals(kind)).toList();
        md.append("## Table `").append(MarkdownReport.line(t.path())).append("`\n\n")
                .append(Numbers.count(t.rows(), "row")).append(", ").append(Numbers.count(t.columns().size(), "column")).append(" (")
                .append(t.format().label()).append(")");
        long cells = t.rows() * t.columns().size();
        if (cells > 0) md.append("; ").append(Numbers.count(t.missingCells(), "missing cell")).append(" (").append(Numbers.percent(t.missingCells(), cells)).append(')');
        if (t.duplicateRows() != null) md.append("; ").append(Numbers.count(t.duplicateRows(), "duplicate row"));
        md.append(".\n\n");
        for (var n : t.notes()) md.append("- ").append(MarkdownReport.line(n)).append('\n');
        if (!t.notes().isEmpty()) md.append('\n');
        preamble(md, t.preamble());
        if (!t.alerts().isEmpty()) {
            md.append("**Alerts**\n\n");
            for (var a : t.alerts())
                md.append("- ").append(a.column() == null ? "" : "`" + MarkdownReport.line(a.column()) + "` ").append("*").append(a.type().replace('_', ' '))
                        .append("*: ").append(MarkdownReport.line(a.message())).append('\n');
            md.append('\n');
        }
        show.accept(ofKind.apply(ProfileFigures.MISSING));
        var shown = t.columns().stream().limit(COLUMNS_SHOWN).toList();
        Function<List<TableProfile.Column>, List<Figure>> columnFigures = cs -> cs.stream()
                .flatMap(c -> figures.stream().filter(f -> c.name().equals(f.column()) && (f.kind().equals(ProfileFigures.HISTOGRAM) || f.kind().equals(ProfileFigures.TOP_VALUES))))
                .toList();
        var numeric = shown.stream().filter(c -> c.kind().equals("numeric")).toList();
        numeric(md, numeric, t.sample());
        show.accept(columnFigures.apply(numeric));
        var dates = shown.stream().filter(c -> c.kind().equals("datetime")).toList();
        datetime(md, dates);
        show.accept(columnFigures.apply(dates));
        var others = shown.stream().filter(c -> !c.kind().equals("numeric") && !c.kind().equals("datetime")).toList();
        categorical(md, others);
        show.accept(columnFigures.apply(others));
        if (t.columns().size() > shown.size())
            md.append("The first ").append(shown.size()).append(" columns are shown; all ").append(t.columns().size()).append(" are in `report.json`.\n\n");
        long unCharted = t.columns().stream().filter(ProfileFigures::charted).filter(c -> figures.stream().noneMatch(f -> c.name().equals(f.column()))).count();
        if (unCharted > 0)
            md.append(Numbers.count(unCharted, "more column")).append(" would have a chart, but a report draws at most ").append(ProfileFigures.MAX_FIGURES)
                    .append(" figures; their numbers are in the tables above and in `report.json`.\n\n");
        correlations(md, t.correlations());
        show.accept(ofKind.apply(ProfileFigures.PEARSON));
        show.accept(ofKind.apply(ProfileFigures.SPEARMAN));
        show.accept(figures);
        if (!t.sample().isEmpty()) {
            md.append("First rows, as written:\n\n|");
            for (var c : t.sample().getFirst().keySet()) md.append(' ').append(MarkdownReport.cell(c)).append(" |");
            md.append("\n|").append("---|".repeat(t.sample().getFirst().size())).append('\n');
            for (Map<String, String> row : t.sample()) {
                md.append('|');
                for (var v : row.values()) md.append(' ').append(MarkdownReport.cell(v)).append(" |");
                md.append('\n');
            }
            md.append('\n');
        }
    }

    /** The metadata lines above the table, as the instrument wrote them: key, value. */
    private static void preamble(StringBuilder md, List<TableProfile.MetadataLine> lines) {
        if (lines.isEmpty()) return;
        md.append("**Preamble** (metadata above the table)\n\n| line | key | value |\n|---:|---|---|\n");
        for (var l : lines) row(md, String.valueOf(l.line()), MarkdownReport.cell(l.key()), MarkdownReport.cell(l.value()));
        md.append('\n');
    }

    /**
     * Each column's values (min, max) to its own precision, its quantiles exactly (linear interpolation needs at most two
     * decimals more), its mean and sd to one decimal more than its values.
     */
    private static void numeric(StringBuilder md, List<TableProfile.Column> columns, List<Map<String, String>> sample) {
        if (columns.isEmpty()) return;
        md.append("**Numeric columns**\n\n| column | type | missing | distinct | mean | sd | min | p5 | p25 | median | p75 | p95 | max | zeros | negative | skewness | histogram |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (var c : columns) {
            var values = ColumnScale.of(c, sample);
            var quantiles = Arrays.asList(c.p5(), c.p25(), c.median(), c.p75(), c.p95());
            var q = values.exact(quantiles, 2);
            var moments = values.finer(1).nonzero(Arrays.asList(c.mean(), c.std()));
            row(md, MarkdownReport.cell(c.name()), c.type(), missing(c), distinct(c), moments.format(c.mean()), moments.format(c.std()), values.format(c.min()),
                    q.format(c.p5()), q.format(c.p25()), q.format(c.median()), q.format(c.p75()), q.format(c.p95()), values.format(c.max()),
                    c.zeros() == null ? "" : c.zeros().toString(), c.negatives() == null ? "" : c.negatives().toString(),
                    Numbers.coefficient(c.skewness()), spark(c.histogram()));
        }
        md.append('\n');
    }

    private static void datetime(StringBuilder md, List<TableProfile.Column> columns) {
        if (columns.isEmpty()) return;
        md.append("**Date and time columns**\n\n| column | type | missing | distinct | first | last | written as | largest gap | over time |\n")
                .append("|---|---|---:|---:|---|---|---|---|---|\n");
        for (var c : columns) {
            var written = c.dateFormat() == null ? c.sourceType() : c.dateFormat() + (c.dateNote() == null ? "" : " (" + c.dateNote() + ")");
            var gap = c.largestGap() == null ? "" : duration(c.largestGap().seconds()) + " (" + c.largestGap().from() + " → " + c.largestGap().to() + ")";
            row(md, MarkdownReport.cell(c.name()), c.type(), missing(c), distinct(c), c.min() == null ? "" : c.min(), c.max() == null ? "" : c.max(),
                    MarkdownReport.line(written), gap, spark(c.histogram()));
        }
        md.append('\n');
    }

    private static void categorical(StringBuilder md, List<TableProfile.Column> columns) {
        if (columns.isEmpty()) return;
        md.append("**Text, category, true/false and identifier columns**\n\n| column | kind | missing | distinct | most frequent | seen once | length min / mean / max |\n")
                .append("|---|---|---:|---:|---|---:|---|\n");
        for (var c : columns) {
            var top = c.topValues().stream().limit(TOP_SHOWN)
                    .map(v -> "`" + MarkdownReport.cell(v.value()).replace("`", "'") + "` " + v.count() + " (" + Numbers.percent(v.count(), Math.max(1, c.count())) + ")")
                    .collect(Collectors.joining(", "));
            var lengths = c.lengthMin() == null ? "" : LENGTH.format(c.lengthMin()) + " / " + LENGTH.finer(1).nonzero(List.of(c.lengthMean())).format(c.lengthMean())
                    + " / " + LENGTH.format(c.lengthMax());
            row(md, MarkdownReport.cell(c.name()), c.kind(), missing(c), distinct(c), top, c.singletons() == null ? "" : c.singletons().toString(), lengths);
        }
        md.append('\n');
    }

    private static void correlations(StringBuilder md, List<TableProfile.Correlation> correlations) {
        if (correlations.isEmpty()) return;
        Function<TableProfile.Correlation, Double> strength = k -> k.pearson() == null ? 0 : Math.abs(k.pearson());
        var shown = correlations.stream().sorted(Comparator.comparing(strength).reversed()).limit(CORRELATIONS_SHOWN).toList();
        md.append("**Correlations** (strongest ").append(shown.size()).append(" of ").append(correlations.size()).append(" pairs)\n\n")
                .append("| column | column | Pearson r | Spearman ρ |\n|---|---|---:|---:|\n");
        for (var k : shown)
            row(md, MarkdownReport.cell(k.a()), MarkdownReport.cell(k.b()), Numbers.coefficient(k.pearson()), Numbers.coefficient(k.spearman()));
        md.append('\n');
    }

    private static void row(StringBuilder md, String... cells) {
        md.append('|');
        for (var c : cells) md.append(' ').append(c).append(" |");
        md.append('\n');
    }

    /** Missing values with the placeholders found, and values that did not fit the type. */
    private static String missing(TableProfile.Column c) {
        var s = new StringBuilder().append(c.nulls());
        if (!c.missingTokens().isEmpty())
            s.append(" (").append(c.missingTokens().entrySet().stream().map(e -> "`" + (e.getKey().isEmpty() ? "\"\"" : MarkdownReport.cell(e.getKey())) + "` ×" + e.getValue())
                    .collect(Collectors.joining(", "))).append(')');
        if (c.invalid() > 0) s.append(" + ").append(c.invalid()).append(" not ").append(c.type().toLowerCase(Locale.ROOT));
        return s.toString();
    }

    private static String distinct(TableProfile.Column c) {
        return c.distinct() == null ? "" : c.distinct() + (c.distinctExact() ? "" : " approx.");
    }

    /** The histogram in one line of block characters, tallest bin full height. */
    static String spark(TableProfile.Histogram h) {
        if (h == null || h.counts().isEmpty()) return "";
        long max = h.counts().stream().mapToLong(Long::longValue).max().orElse(0);
        var s = new StringBuilder();
        for (long n : h.counts()) s.append(n == 0 ? ' ' : BARS.charAt((int) Math.min(BARS.length() - 1, (n * BARS.length() - 1) / Math.max(1, max))));
        return s.toString().replace(' ', '·');
    }

    /** A gap between dates, an exact length: whole units as integers (a DATE column's gaps are whole days), else three figures. */
    static String duration(double seconds) {
        if (seconds < 120) return Numbers.significant(seconds, 3) + " s";
        if (seconds < 7200) return Numbers.significant(seconds / 60, 3) + " min";
        if (seconds < 172800) return Numbers.significant(seconds / 3600, 3) + " h";
        return Numbers.significant(seconds / 86400, 4) + " days";
    }
}
