package dev.labdesk.worker.agent.analysis.figures;

import java.util.Arrays;

import dev.labdesk.worker.agent.analysis.ColumnScale;
import dev.labdesk.worker.agent.analysis.Numbers;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.TableProfile.Column;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The profile's figures, drawn from the profile alone (its histograms, top values, missing counts and
 * correlations are exact, computed by DuckDB): per table a missing-values chart and Pearson and Spearman
 * heatmaps, then per column a histogram (numbers, dates) or a bar chart of its most frequent values.
 * At most {@link #MAX_FIGURES} per report: table charts first, then columns in order until the budget is spent.
 */
public final class ProfileFigures {
    public static final int MAX_FIGURES = 60;
    /** The missing-values chart shows at most this many columns, those with the most missing. */
    static final int MISSING_SHOWN = 30;
    static final int WIDTH = 560, HISTOGRAM_HEIGHT = 260;
    public static final String HISTOGRAM = "histogram", TOP_VALUES = "top_values", MISSING = "missing", PEARSON = "pearson", SPEARMAN = "spearman";
    public static final String OTHER = "(other values)";
    /** Fewer values than this are all in the report's tables already: a chart of them would say nothing more. */
    static final int MIN_VALUES = 5;

    private final Path resultsDir;
    private final FigureNames names;

    public ProfileFigures(Path resultsDir, FigureNames names) {
        this.resultsDir = resultsDir;
        this.names = names;
    }

    public List<Figure> draw(List<TableProfile> tables) throws IOException {
        var out = new ArrayList<Figure>();
        for (var t : tables) {
            for (var d : tableDrawings(t)) {
                if (out.size() >= MAX_FIGURES) return out;
                out.add(FigureFiles.write(resultsDir, d));
            }
        }
        for (var t : tables)
            for (var c : t.columns()) {
                if (out.size() >= MAX_FIGURES) return out;
                var d = columnDrawing(t, c);
                if (d != null) out.add(FigureFiles.write(resultsDir, d));
            }
        return out;
    }

    /** Whether {@link #draw} would chart this column given room (what the report counts as left without a figure). */
    public static boolean charted(Column c) {
        if (c.count() < MIN_VALUES || c.distinct() != null && c.distinct() < 2) return false;
        return switch (c.kind()) {
            case "numeric", "datetime" -> c.histogram() != null && !c.histogram().counts().isEmpty();
            case "categorical", "boolean" -> !c.topValues().isEmpty();
            default -> false;
        };
    }

    private List<FigureFiles.Drawing> tableDrawings(TableProfile t) {
        var out = new ArrayList<FigureFiles.Drawing>();
        if (t.missingCells() > 0 && t.rows() > 0) {
            var missing = t.columns().stream().filter(c -> c.nulls() > 0)
                    .sorted(Comparator.comparingLong(Column::nulls).reversed()).limit(MISSING_SHOWN).toList();
            var data = new FigureData.Bars(missing.stream().map(Column::name).toList(), missing.stream().map(c -> (double) c.nulls()).toList(), "missing values");
            var more = t.columns().stream().filter(c -> c.nulls() > 0).count() - missing.size();
            var title = "Missing values in " + shortPath(t.path()) + (more > 0 ? " (the " + missing.size() + " columns with most)" : "");
            var alt = "Missing values per column of " + t.path() + ": " + describe(data, 6) + " (" + Numbers.count(t.rows(), "row") + ")";
            out.add(new FigureFiles.Drawing(names.unique(t.path(), "missing"), MISSING, Charts.bars(title, "missing values (of " + t.rows() + " rows)", data, null),
                    WIDTH, Charts.barsHeight(missing.size()), alt, t.path(), null, data));
        }
        var matrices = matrices(t);
        for (var m : matrices) {
            int size = Charts.heatmapSize(m.labels().size());
            var kind = m.measure().startsWith("Pearson") ? PEARSON : SPEARMAN;
            var alt = m.measure() + " correlations between " + m.labels().size() + " numeric columns of " + t.path() + strongest(m);
            out.add(new FigureFiles.Drawing(names.unique(t.path(), kind), kind, Charts.heatmap(m.measure() + " — " + shortPath(t.path()), m),
                    size + 80, size, alt, t.path(), null, m));
        }
        return out;
    }

    private FigureFiles.Drawing columnDrawing(TableProfile t, Column c) {
        if (!charted(c)) return null;
        if (c.histogram() != null && (c.kind().equals("numeric") || c.kind().equals("datetime"))) {
            var h = c.histogram();
            var data = new FigureData.Bins(h.edges(), h.counts(), h.labels());
            var scale = ColumnScale.of(c, t.sample()); // the range as the numeric table shows the column's min and max
            var from = h.labels() == null ? scale.format(h.edges().getFirst()) : h.labels().getFirst();
            var to = h.labels() == null ? scale.format(h.edges().getLast()) : h.labels().getLast();
            var alt = (c.kind().equals("datetime") ? "Dates of " : "Histogram of ") + c.name() + ": " + Numbers.count(h.counts().size(), "bin")
                    + " from " + from + " to " + to + ", " + Numbers.count(c.count(), "value") + (c.nulls() > 0 ? ", " + c.nulls() + " missing" : "");
            return new FigureFiles.Drawing(names.unique(t.path(), c.name()), HISTOGRAM, Charts.histogram(Charts.cut(c.name()) + (c.kind().equals("datetime") ? " — over time" : " — distribution"), c.name(), data),
                    WIDTH, HISTOGRAM_HEIGHT, alt, t.path(), c.name(), data);
        }
        var labels = new ArrayList<String>();
        var values = new ArrayList<Double>();
        long shown = 0;
        for (var v : c.topValues()) {
            labels.add(v.value());
            values.add((double) v.count());
            shown += v.count();
        }
        if (c.count() > shown) {
            labels.add(OTHER);
            values.add((double) (c.count() - shown));
        }
        var data = new FigureData.Bars(labels, values, "count");
        var alt = "Most frequent values of " + c.name() + ": " + describe(data, 5) + " (" + Numbers.count(c.count(), "value") + ")";
        return new FigureFiles.Drawing(names.unique(t.path(), c.name()), TOP_VALUES, Charts.bars(Charts.cut(c.name()) + " — most frequent values", "count", data, OTHER),
                WIDTH, Charts.barsHeight(labels.size()), alt, t.path(), c.name(), data);
    }

    /** The Pearson and Spearman matrices of the profile's correlation pairs (1 on the diagonal, null where a pair has none). */
    static List<FigureData.Matrix> matrices(TableProfile t) {
        if (t.correlations().isEmpty()) return List.of();
        var index = new LinkedHashMap<String, Integer>();
        for (var k : t.correlations()) {
            index.putIfAbsent(k.a(), index.size());
            index.putIfAbsent(k.b(), index.size());
        }
        var out = new ArrayList<FigureData.Matrix>();
        for (var pearson : new boolean[] {true, false}) {
            int n = index.size();
            var m = new ArrayList<List<Double>>();
            var cells = new Double[n][n];
            for (int i = 0; i < n; i++) cells[i][i] = 1.0;
            boolean any = false;
            for (var k : t.correlations()) {
                var v = pearson ? k.pearson() : k.spearman();
                any |= v != null;
                int i = index.get(k.a()), j = index.get(k.b());
                cells[i][j] = v;
                cells[j][i] = v;
            }
            if (!any) continue;
            for (var row : cells) m.add(Arrays.asList(row));
            out.add(new FigureData.Matrix(pearson ? "Pearson r" : "Spearman ρ", List.copyOf(index.keySet()), m));
        }
        return out;
    }

    private static String describe(FigureData.Bars b, int shown) {
        var s = new StringBuilder();
        for (int i = 0; i < Math.min(shown, b.labels().size()); i++)
            s.append(i == 0 ? "" : ", ").append(b.labels().get(i)).append(' ').append(Numbers.significant(b.values().get(i), 6));
        if (b.labels().size() > shown) s.append(", …");
        return s.toString();
    }

    private static String strongest(FigureData.Matrix m) {
        double best = 0;
        String pair = null;
        for (int i = 0; i < m.labels().size(); i++)
            for (int j = i + 1; j < m.labels().size(); j++) {
                var v = m.values().get(i).get(j);
                if (v != null && Math.abs(v) >= Math.abs(best)) {
                    best = v;
                    pair = m.labels().get(i) + " and " + m.labels().get(j);
                }
            }
        return pair == null ? "" : "; strongest: " + pair + " (" + Numbers.coefficient(best) + ")";
    }

    private static String shortPath(String path) {
        return path.length() > 40 ? "…" + path.substring(path.length() - 39) : path;
    }
}
