package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.figures.ChartStyle;
import dev.labdesk.worker.agent.analysis.figures.Figure;
import dev.labdesk.worker.agent.analysis.figures.FigureFiles;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Hypothesis section's charts, drawn from its {@link Chart} alone: every observation compared, per group, with
 * the group's mean and 95 % interval; and for a time course each group's mean curve with its 95 % band.
 */
final class HypothesisFigures {
    static final String GROUPS = "hypothesis-test-groups", CURVES = "hypothesis-test-curves";
    private static final int WIDTH = 560, HEIGHT = 340;

    private HypothesisFigures() {}

    static List<Figure> draw(Path resultsDir, HypothesisReport h) throws IOException {
        if (h.chart() == null || h.groupSummaries().isEmpty()) return List.of();
        var out = new ArrayList<Figure>();
        out.add(FigureFiles.write(resultsDir, new FigureFiles.Drawing(GROUPS, "hypothesis_groups", groups(h), WIDTH, HEIGHT, groupsAlt(h),
                h.table(), h.measure(), null)));
        if (!h.chart().curves().isEmpty())
            out.add(FigureFiles.write(resultsDir, new FigureFiles.Drawing(CURVES, "hypothesis_curves", curves(h), WIDTH, HEIGHT,
                    "Mean " + h.measure() + " over " + h.timeColumn() + " per " + h.groupColumn() + " with 95 % bands (" + h.table() + ")",
                    h.table(), h.measure(), null)));
        return out;
    }

    /** Each observation as a dot (spread sideways so equal values stay visible), the mean ± 95 % CI as a black bar beside them. */
    static JFreeChart groups(HypothesisReport h) {
        var names = h.groupSummaries().stream().map(GroupSummary::group).toList();
        var dots = new XYSeriesCollection();
        for (int g = 0; g < names.size(); g++) {
            var name = names.get(g);
            var series = new XYSeries(name, false, true);
            var mine = h.chart().points().stream().filter(p -> p.group().equals(name)).toList();
            for (int i = 0; i < mine.size(); i++) series.add(g - 0.22 + 0.16 * ((i * 0.618034) % 1.0), mine.get(i).value());
            dots.addSeries(series);
        }
        var means = new YIntervalSeriesCollection();
        var mean = new YIntervalSeries("mean ± 95 % CI");
        for (int g = 0; g < names.size(); g++) {
            var s = h.groupSummaries().get(g);
            mean.add(g + 0.14, s.mean(), s.ciLow() == null ? s.mean() : s.ciLow(), s.ciHigh() == null ? s.mean() : s.ciHigh());
        }
        means.addSeries(mean);
        var x = new SymbolAxis(h.groupColumn(), names.toArray(String[]::new));
        x.setGridBandsVisible(false);
        var y = new NumberAxis(h.chart().valueLabel());
        y.setAutoRangeIncludesZero(false);
        var dotRenderer = new XYLineAndShapeRenderer(false, true);
        var plot = new XYPlot(dots, x, y, dotRenderer);
        var bars = new XYErrorRenderer();
        plot.setDataset(1, means);
        plot.setRenderer(1, bars);
        var title = h.measure() + " by " + h.groupColumn() + (h.timeColumn() != null ? " (area under each curve)" : "");
        var chart = ChartStyle.apply(new JFreeChart(title, ChartStyle.font(Font.BOLD, 14), plot, false));
        // after the style: its theme hands out colours by renderer, and each group must keep its palette colour in both charts
        for (int g = 0; g < names.size(); g++) dotRenderer.setSeriesPaint(g, ChartStyle.PALETTE.get(g % ChartStyle.PALETTE.size()));
        bars.setDrawXError(false);
        bars.setSeriesPaint(0, ChartStyle.INK);
        bars.setErrorPaint(ChartStyle.INK);
        bars.setErrorStroke(new BasicStroke(1.5f));
        bars.setSeriesShape(0, new Rectangle2D.Double(-4, -4, 8, 8));
        return chart;
    }

    /** Each group's mean at each time, with its 95 % t-interval as a band (none where one replicate had a value). */
    static JFreeChart curves(HypothesisReport h) {
        var data = new YIntervalSeriesCollection();
        for (var g : h.groupSummaries()) {
            var series = new YIntervalSeries(g.group());
            for (var p : h.chart().curves())
                if (p.group().equals(g.group()))
                    series.add(p.time(), p.mean(), p.ciLow() == null ? p.mean() : p.ciLow(), p.ciHigh() == null ? p.mean() : p.ciHigh());
            data.addSeries(series);
        }
        var x = new NumberAxis(h.chart().timeLabel());
        x.setAutoRangeIncludesZero(false);
        var y = new NumberAxis(h.measure());
        y.setAutoRangeIncludesZero(false);
        var renderer = new DeviationRenderer(true, false);
        var plot = new XYPlot(data, x, y, renderer);
        var chart = ChartStyle.apply(new JFreeChart(h.measure() + " over time by " + h.groupColumn() + " (mean, 95 % band)", ChartStyle.font(Font.BOLD, 14), plot, true));
        for (int i = 0; i < h.groupSummaries().size(); i++) {
            Color c = ChartStyle.PALETTE.get(i % ChartStyle.PALETTE.size());
            renderer.setSeriesPaint(i, c);
            renderer.setSeriesFillPaint(i, c);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        renderer.setAlpha(0.2f);
        return chart;
    }

    private static String groupsAlt(HypothesisReport h) {
        return h.measure() + (h.timeColumn() != null ? " (area under the curve)" : "") + " by " + h.groupColumn() + ": "
                + h.groupSummaries().stream().map(s -> s.group() + " mean " + HypothesisNumbers.of(h).location(s.mean()) + " (n = " + s.n() + ")").collect(Collectors.joining(", "));
    }
}
