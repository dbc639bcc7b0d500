package dev.labdesk.worker.agent.analysis.figures;

import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberTickUnit;
import java.text.SimpleDateFormat;
import java.util.TimeZone;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.Locale;

/**
 * The report's kinds of chart, each drawn from its {@link FigureData} alone and styled by {@link ChartStyle}.
 * Long labels are cut for the chart; report.json keeps them whole.
 */
public final class Charts {
    /** Axis labels longer than this are cut with an ellipsis. */
    public static final int LABEL = 28;
    /** Matrices up to this size get their values written in the cells. */
    static final int ANNOTATED = 10;

    private Charts() {}

    /** A histogram; dates on the x axis when the bins have labels (their edges are then epoch seconds). */
    public static JFreeChart histogram(String title, String xLabel, FigureData.Bins bins) {
        var series = new XYIntervalSeries("count");
        boolean time = bins.labels() != null;
        double unit = time ? 1000 : 1; // a DateAxis counts milliseconds
        for (int i = 0; i < bins.counts().size(); i++) {
            double lo = bins.edges().get(i) * unit, hi = bins.edges().get(i + 1) * unit;
            if (hi == lo) { // one value: a bar of some width around it
                double half = time ? 43_200_000 : Math.max(Math.abs(lo) * 0.05, 0.5);
                lo -= half;
                hi += half;
            }
            long n = bins.counts().get(i);
            series.add((lo + hi) / 2, lo, hi, n, 0, n);
        }
        var data = new XYIntervalSeriesCollection();
        data.addSeries(series);
        // the edges are UTC epoch seconds: the axis must not shift them into the agent's time zone
        ValueAxis x = time ? new DateAxis(xLabel, TimeZone.getTimeZone("UTC"), Locale.ROOT) : new NumberAxis(xLabel);
        if (x instanceof NumberAxis n) n.setAutoRangeIncludesZero(false);
        if (x instanceof DateAxis d) {
            double span = bins.edges().getLast() - bins.edges().getFirst();
            var format = new SimpleDateFormat(span > 3 * 86_400 ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", Locale.ROOT);
            format.setTimeZone(TimeZone.getTimeZone("UTC"));
            d.setDateFormatOverride(format); // ISO dates, as the report writes them
        }
        var y = new NumberAxis("count");
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        var renderer = new XYBarRenderer();
        renderer.setSeriesPaint(0, ChartStyle.PRIMARY);
        var plot = new XYPlot(data, x, y, renderer);
        var chart = new JFreeChart(title, ChartStyle.font(Font.BOLD, 14), plot, false);
        return ChartStyle.apply(chart);
    }

    /**
     * Horizontal bars, one per label, top to bottom in the order given; a label {@code otherLabel} (or null for none)
     * is drawn in the muted colour.
     */
    public static JFreeChart bars(String title, String valueLabel, FigureData.Bars bars, String otherLabel) {
        var data = new DefaultCategoryDataset();
        for (int i = 0; i < bars.labels().size(); i++) data.addValue(bars.values().get(i), "value", new Label(i, cut(bars.labels().get(i))));
        var renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return otherLabel != null && otherLabel.equals(bars.labels().get(column)) ? ChartStyle.OTHER : ChartStyle.PRIMARY;
            }
        };
        var y = new NumberAxis(valueLabel);
        boolean counts = bars.values().stream().allMatch(v -> v == null || v == Math.rint(v));
        if (counts) y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        var plot = new CategoryPlot(data, new CategoryAxis(null), y, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        plot.getDomainAxis().setCategoryMargin(0.25);
        var chart = ChartStyle.apply(new JFreeChart(title, ChartStyle.font(Font.BOLD, 14), plot, false));
        renderer.setMaximumBarWidth(0.2);
        return chart;
    }

    /** Height for {@link #bars} with {@code n} bars: every label readable. */
    public static int barsHeight(int n) {
        return Math.max(160, 90 + 24 * n);
    }

    /** A matrix of values in [-1, 1] as coloured cells (blue negative, red positive), values written in when it is small. */
    public static JFreeChart heatmap(String title, FigureData.Matrix m) {
        int n = m.labels().size();
        var xs = new double[n * n];
        var ys = new double[n * n];
        var zs = new double[n * n];
        int k = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                var v = m.values().get(i).get(j);
                xs[k] = j;
                ys[k] = n - 1 - i; // first label on top
                zs[k++] = v == null ? Double.NaN : v;
            }
        var data = new DefaultXYZDataset();
        data.addSeries(m.measure(), new double[][] {xs, ys, zs});
        var labels = m.labels().stream().map(Charts::cut).toArray(String[]::new);
        var reversed = new String[n];
        for (int i = 0; i < n; i++) reversed[i] = labels[n - 1 - i];
        var x = new SymbolAxis(null, labels);
        x.setVerticalTickLabels(n > 4);
        x.setGridBandsVisible(false);
        var y = new SymbolAxis(null, reversed);
        y.setGridBandsVisible(false);
        var renderer = new XYBlockRenderer();
        var scale = new Diverging();
        renderer.setPaintScale(scale);
        var plot = new XYPlot(data, x, y, renderer);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        var chart = new JFreeChart(title, ChartStyle.font(Font.BOLD, 14), plot, false);
        var axis = new NumberAxis(m.measure());
        axis.setRange(-1, 1);
        var legend = new PaintScaleLegend(scale, axis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(4, 10, 4, 4));
        legend.setStripWidth(12);
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(ChartStyle.BACKGROUND);
        chart.addSubtitle(legend);
        ChartStyle.apply(chart);
        // after the style: a theme repaints annotations in its own ink
        if (n <= ANNOTATED)
            for (int i = 0; i < n * n; i++) {
                if (Double.isNaN(zs[i])) continue;
                var a = new XYTextAnnotation(String.format(Locale.ROOT, "%.2f", zs[i]), xs[i], ys[i]);
                a.setFont(ChartStyle.font(Font.PLAIN, n <= 6 ? 12 : 10));
                a.setPaint(Math.abs(zs[i]) > 0.6 ? Color.WHITE : ChartStyle.INK);
                a.setTextAnchor(TextAnchor.CENTER);
                plot.addAnnotation(a);
            }
        axis.setTickUnit(new NumberTickUnit(0.5));
        axis.setLabelFont(ChartStyle.font(Font.PLAIN, 11));
        axis.setTickLabelFont(ChartStyle.font(Font.PLAIN, 10));
        axis.setTickLabelPaint(ChartStyle.MUTED);
        axis.setLabelPaint(ChartStyle.INK);
        return chart;
    }

    /** Size for {@link #heatmap} with {@code n} labels: square cells, room for the labels and the colour bar. */
    public static int heatmapSize(int n) {
        return Math.min(900, Math.max(360, 200 + 36 * n));
    }

    /** Lines with points, one per series, in the palette's order. */
    public static JFreeChart lines(String title, FigureData.Lines lines) {
        var data = new XYSeriesCollection();
        for (var s : lines.series()) {
            var series = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().size(); i++) series.add(s.x().get(i), s.y().get(i));
            data.addSeries(series);
        }
        var x = new NumberAxis(lines.xLabel());
        x.setAutoRangeIncludesZero(false);
        var y = new NumberAxis(lines.yLabel());
        y.setAutoRangeIncludesZero(false);
        var renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < lines.series().size(); i++) renderer.setSeriesPaint(i, ChartStyle.PALETTE.get(i % ChartStyle.PALETTE.size()));
        var chart = new JFreeChart(title, ChartStyle.font(Font.BOLD, 14), new XYPlot(data, x, y, renderer), lines.series().size() > 1);
        return ChartStyle.apply(chart);
    }

    public static String cut(String s) {
        if (s == null) return "(missing)";
        var one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() > LABEL ? one.substring(0, LABEL - 1) + "…" : one;
    }

    /** A category as drawn: its text (perhaps cut), kept apart from another bar cut to the same text by its position. */
    private record Label(int index, String text) implements Comparable<Label> {
        @Override
        public int compareTo(Label o) {
            return Integer.compare(index, o.index);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Blue (-1) through white (0) to red (+1); grey where there is no value. */
    private static final class Diverging implements PaintScale {
        private static final Color NEGATIVE = new Color(0x2166ac), ZERO = new Color(0xf7f7f7), POSITIVE = new Color(0xb2182b), NONE = new Color(0xd9d9d9);

        @Override public double getLowerBound() { return -1; }

        @Override public double getUpperBound() { return 1; }

        @Override
        public Paint getPaint(double v) {
            if (Double.isNaN(v)) return NONE;
            double t = Math.clamp(v, -1, 1);
            return t < 0 ? mix(ZERO, NEGATIVE, -t) : mix(ZERO, POSITIVE, t);
        }

        private static Color mix(Color a, Color b, double t) {
            return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t), (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                    (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
        }
    }
}
