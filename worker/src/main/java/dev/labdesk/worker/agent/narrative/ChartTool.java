package dev.labdesk.worker.agent.narrative;

import java.awt.AWTError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.models.chat.completions.ChatCompletionTool;
import dev.labdesk.worker.agent.analysis.ModelAnalysis;
import dev.labdesk.worker.agent.analysis.figures.Charts;
import dev.labdesk.worker.agent.analysis.figures.FigureData;
import dev.labdesk.worker.agent.analysis.figures.FigureFiles;
import dev.labdesk.worker.agent.analysis.figures.FigureNames;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a chart the model asks for from the rows of its own query (run by {@link QueryTool}, with the
 * same refusals and bounds), with the report's figure style, into {@code results/figures/}; answers with
 * the Markdown line that shows it, for the model to place in its text. Histograms are binned by DuckDB
 * over every row of the query, the other kinds draw at most {@link #MAX_POINTS} rows.
 */
public final class ChartTool {
    static final int MAX_CHARTS = 6, MAX_POINTS = 5_000, MAX_BARS = 40, MAX_SERIES = 8, DEFAULT_BINS = 20, MAX_BINS = 100;
    static final int WIDTH = 640, HEIGHT = 380;
    private static final List<String> KINDS = List.of("bar", "line", "scatter", "histogram");

    private final Path results;
    private final QueryTool query;
    private final ObjectMapper mapper;
    private final FigureNames names;
    private final List<ModelAnalysis.Chart> charts = new ArrayList<>();

    /** @param results the volume's {@code results/} directory; @param names the report's figure names (shared with its other figures) */
    public ChartTool(Path results, QueryTool query, FigureNames names, ObjectMapper mapper) {
        this.results = results;
        this.query = query;
        this.names = names;
        this.mapper = mapper;
    }

    ChatCompletionTool definition() {
        var properties = new LinkedHashMap<String, Object>();
        properties.put("kind", Map.of("type", "string", "enum", KINDS,
                "description", "bar: one bar per x value with its y; line or scatter: y against a numeric x, one line per series value; histogram: the distribution of the x column"));
        properties.put("sql", Map.of("type", "string", "description", "one read-only query giving the chart's data (same rules as query)"));
        properties.put("x", Map.of("type", "string", "description", "the column of the query's result on the x axis (the bars' labels; the histogram's values)"));
        properties.put("y", Map.of("type", "string", "description", "the numeric column on the y axis (not for histogram)"));
        properties.put("series", Map.of("type", "string", "description", "line and scatter only: the column whose values split the rows into series"));
        properties.put("bins", Map.of("type", "integer", "minimum", 2, "maximum", MAX_BINS, "description", "histogram only, default " + DEFAULT_BINS));
        properties.put("title", Map.of("type", "string", "description", "the chart's title"));
        return DatasetTools.tool("chart", "Draw a chart from a query into the report (at most " + MAX_CHARTS + " charts). "
                        + "Answers with a Markdown image line: put it in your text where the chart belongs.",
                properties, List.of("kind", "sql", "x", "title"));
    }

    /** The charts drawn so far, with the query each was drawn from. */
    List<ModelAnalysis.Chart> charts() {
        return List.copyOf(charts);
    }

    String draw(JsonNode args) {
        if (charts.size() >= MAX_CHARTS) return error("no more charts: " + MAX_CHARTS + " have been drawn");
        var kind = args.path("kind").asText("");
        var sql = args.path("sql").asText("").strip();
        var x = args.path("x").asText("");
        var y = args.path("y").asText("");
        var series = args.path("series").asText("");
        var title = args.path("title").asText("").strip();
        if (!KINDS.contains(kind)) return error("kind must be one of " + KINDS);
        if (sql.isEmpty() || x.isEmpty()) return error("chart needs sql and x");
        if (!kind.equals("histogram") && y.isEmpty()) return error("a " + kind + " chart needs y");
        if (title.isEmpty()) title = kind.equals("histogram") ? x : y + " by " + x;
        if (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1);
        try {
            var drawing = switch (kind) {
                case "histogram" -> histogram(sql, x, Math.clamp(args.path("bins").asInt(DEFAULT_BINS), 2, MAX_BINS), title);
                case "bar" -> bars(sql, x, y, title);
                default -> lines(kind, sql, x, y, series, title);
            };
            var figure = FigureFiles.write(results, drawing);
            charts.add(new ModelAnalysis.Chart(sql, figure));
            var out = mapper.createObjectNode().put("markdown", figure.markdown()).put("png", figure.png());
            out.put("note", "the chart is in the report's figures; write the markdown line on its own line where it belongs in your text");
            return out.toString();
        } catch (ChartException e) {
            return error(e.getMessage());
        } catch (IOException | RuntimeException | LinkageError | AWTError e) {
            // a chart that cannot be drawn or written (a JVM without fonts throws Errors) costs the model that chart, not its text
            return error("the chart could not be drawn: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private FigureFiles.Drawing bars(String sql, String x, String y, String title) throws ChartException {
        var r = rows(sql, MAX_BARS);
        int xi = column(r, x), yi = column(r, y);
        var labels = new ArrayList<String>();
        var values = new ArrayList<Double>();
        for (var row : r.rows()) {
            labels.add(row.get(xi) == null ? null : row.get(xi).toString());
            values.add(number(row.get(yi), y));
        }
        var data = new FigureData.Bars(labels, values, y);
        var name = names.unique("model", title);
        return new FigureFiles.Drawing(name, "bars", Charts.bars(title, y, data, null), WIDTH, Charts.barsHeight(labels.size()),
                alt(title, "bar chart of " + y + " by " + x), null, y, data);
    }

    private FigureFiles.Drawing lines(String kind, String sql, String x, String y, String series, String title) throws ChartException {
        var r = rows(sql, MAX_POINTS);
        int xi = column(r, x), yi = column(r, y), si = series.isEmpty() ? -1 : column(r, series);
        var grouped = new LinkedHashMap<String, Points>();
        for (var row : r.rows()) {
            var key = si < 0 ? y : String.valueOf(row.get(si));
            Double xv = number(row.get(xi), x), yv = number(row.get(yi), y);
            if (xv == null || yv == null) continue;
            var xy = grouped.computeIfAbsent(key, k -> new Points(new ArrayList<>(), new ArrayList<>()));
            xy.xs().add(xv);
            xy.ys().add(yv);
            if (grouped.size() > MAX_SERIES) throw new ChartException("more than " + MAX_SERIES + " series in '" + series + "'");
        }
        if (grouped.isEmpty()) throw new ChartException("no row has both " + x + " and " + y);
        var list = grouped.entrySet().stream().map(e -> new FigureData.Series(e.getKey(), e.getValue().xs(), e.getValue().ys())).toList();
        var data = new FigureData.Lines(x, y, list);
        var chart = Charts.lines(title, data);
        if (kind.equals("scatter") && chart.getXYPlot().getRenderer() instanceof XYLineAndShapeRenderer points)
            for (int i = 0; i < list.size(); i++) points.setSeriesLinesVisible(i, false); // points only
        return new FigureFiles.Drawing(names.unique("model", title), kind.equals("scatter") ? "scatter" : "lines", chart, WIDTH, HEIGHT,
                alt(title, (kind.equals("scatter") ? "scatter plot" : "line chart") + " of " + y + " against " + x), null, y, data);
    }

    /** Binned by DuckDB over every row: the bounds first, then the counts per bin. */
    private FigureFiles.Drawing histogram(String sql, String x, int bins, String title) throws ChartException {
        var v = "CAST(" + SandboxedTables.id(x) + " AS DOUBLE)";
        var bounds = rows("SELECT min(" + v + "), max(" + v + ") FROM (" + nested(sql) + ")", 1);
        Double lo = number(bounds.rows().getFirst().get(0), x), hi = number(bounds.rows().getFirst().get(1), x);
        if (lo == null || hi == null) throw new ChartException("'" + x + "' has no numeric value to draw");
        double width = hi > lo ? (hi - lo) / bins : 1;
        int n = hi > lo ? bins : 1;
        var counts = rows("SELECT least(CAST(floor((v - " + lo + ") / " + width + ") AS INTEGER), " + (n - 1) + ") AS bin, count(*) AS n FROM (SELECT "
                + v + " AS v FROM (" + nested(sql) + ")) WHERE v IS NOT NULL GROUP BY bin ORDER BY bin", n);
        var edges = new ArrayList<Double>();
        for (int i = 0; i <= n; i++) edges.add(i == n && hi > lo ? hi : lo + i * width);
        var perBin = new ArrayList<Long>();
        for (int i = 0; i < n; i++) perBin.add(0L);
        for (var row : counts.rows()) perBin.set(((Number) row.get(0)).intValue(), ((Number) row.get(1)).longValue());
        var data = new FigureData.Bins(edges, perBin, null);
        return new FigureFiles.Drawing(names.unique("model", title), "histogram", Charts.histogram(title, x, data), WIDTH, HEIGHT,
                alt(title, "histogram of " + x), null, x, data);
    }

    /** The model's query as a subquery: on lines of its own, so a trailing comment cannot swallow the closing parenthesis. */
    private static String nested(String sql) {
        return "\n" + sql + "\n";
    }

    private QueryTool.Result rows(String sql, int max) throws ChartException {
        var r = query.rows(sql, max);
        if (r.failed()) throw new ChartException(r.error());
        if (r.rows().isEmpty()) throw new ChartException("the query gave no rows");
        return r;
    }

    private static int column(QueryTool.Result r, String name) throws ChartException {
        int i = r.columns().indexOf(name);
        if (i < 0) throw new ChartException("no column '" + name + "' in the query's result; its columns are " + r.columns());
        return i;
    }

    private static Double number(Object v, String column) throws ChartException {
        return switch (v) {
            case null -> null;
            case Number n -> n.doubleValue();
            default -> throw new ChartException("'" + column + "' must be numeric (it holds '" + v + "'); cast it, or use epoch() for dates");
        };
    }

    private static String alt(String title, String what) {
        return title + ": " + what + ", from the model's query";
    }

    private String error(String message) {
        return mapper.createObjectNode().put("error", message).toString();
    }

    private static final class ChartException extends Exception {
        ChartException(String message) {
            super(message);
        }
    }

    /** One series' points, x and y side by side. */
    private record Points(List<Double> xs, List<Double> ys) {}
}
