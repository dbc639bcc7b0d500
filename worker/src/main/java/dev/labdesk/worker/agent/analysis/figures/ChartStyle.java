package dev.labdesk.worker.agent.analysis.figures;

import org.jfree.chart.block.BlockBorder;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.RectangleInsets;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.util.List;

/**
 * The one look of every figure: an opaque light card (so a chart reads the same on a light or a dark
 * report page), dark ink, faint grid lines, flat bars, the colour-blind-safe Okabe–Ito palette, and the
 * logical {@code SansSerif} font (DejaVu Sans or the system's sans font in the PNG, the viewer's
 * {@code sans-serif} in the SVG).
 */
public final class ChartStyle {
    public static final Color BACKGROUND = Color.WHITE;
    public static final Color INK = new Color(0x1f2328);
    public static final Color MUTED = new Color(0x57606a);
    public static final Color GRID = new Color(0xe4e7eb);
    public static final Color BORDER = new Color(0xd0d7de);
    /** Okabe & Ito's colours, blue first; the muted grey is for "other" and "missing". */
    public static final List<Color> PALETTE = List.of(new Color(0x0072b2), new Color(0xe69f00), new Color(0x009e73), new Color(0xcc79a7),
            new Color(0x56b4e9), new Color(0xd55e00), new Color(0xf0e442), new Color(0x000000));
    public static final Color PRIMARY = PALETTE.getFirst();
    public static final Color OTHER = new Color(0xa8b1bb);
    public static final String FONT = Font.SANS_SERIF;

    private ChartStyle() {}

    public static Font font(int style, int size) {
        return new Font(FONT, style, size);
    }

    /** Applies the style to a chart made by JFreeChart's factory or by hand; returns it. */
    public static JFreeChart apply(JFreeChart chart) {
        theme().apply(chart);
        chart.setBackgroundPaint(BACKGROUND);
        chart.setBorderVisible(true);
        chart.setBorderPaint(BORDER);
        chart.setBorderStroke(new BasicStroke(1f));
        chart.setPadding(new RectangleInsets(8, 8, 8, 12));
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(font(Font.BOLD, 14));
            chart.getTitle().setPaint(INK);
        }
        if (chart.getLegend() != null) {
            chart.getLegend().setFrame(BlockBorder.NONE);
            chart.getLegend().setBackgroundPaint(BACKGROUND);
        }
        switch (chart.getPlot()) {
            case CategoryPlot p -> {
                p.setOutlineVisible(false);
                p.setRangeGridlinesVisible(true);
                p.setDomainGridlinesVisible(false);
                if (p.getRenderer() instanceof BarRenderer r) {
                    r.setBarPainter(new StandardBarPainter());
                    r.setShadowVisible(false);
                    r.setDrawBarOutline(false);
                    r.setItemMargin(0.05);
                    r.setMaximumBarWidth(0.12);
                }
            }
            case XYPlot p -> {
                p.setOutlineVisible(false);
                if (p.getRenderer() instanceof XYBarRenderer r) {
                    r.setBarPainter(new StandardXYBarPainter());
                    r.setShadowVisible(false);
                    r.setDrawBarOutline(true);
                    r.setDefaultOutlinePaint(BACKGROUND);
                    r.setDefaultOutlineStroke(new BasicStroke(0.6f));
                }
            }
            default -> { }
        }
        return chart;
    }

    private static StandardChartTheme theme() {
        var t = new StandardChartTheme("labdesk");
        t.setExtraLargeFont(font(Font.BOLD, 14));
        t.setLargeFont(font(Font.PLAIN, 12));
        t.setRegularFont(font(Font.PLAIN, 11));
        t.setSmallFont(font(Font.PLAIN, 10));
        t.setTitlePaint(INK);
        t.setSubtitlePaint(MUTED);
        t.setChartBackgroundPaint(BACKGROUND);
        t.setLegendBackgroundPaint(BACKGROUND);
        t.setLegendItemPaint(INK);
        t.setPlotBackgroundPaint(BACKGROUND);
        t.setPlotOutlinePaint(BORDER);
        t.setDomainGridlinePaint(GRID);
        t.setRangeGridlinePaint(GRID);
        t.setBaselinePaint(MUTED);
        t.setAxisLabelPaint(INK);
        t.setTickLabelPaint(MUTED);
        t.setItemLabelPaint(INK);
        t.setShadowVisible(false);
        t.setBarPainter(new StandardBarPainter());
        t.setXYBarPainter(new StandardXYBarPainter());
        t.setAxisOffset(new RectangleInsets(0, 0, 0, 0));
        t.setDrawingSupplier(new DefaultDrawingSupplier(PALETTE.toArray(Paint[]::new), new Paint[] {BACKGROUND},
                PALETTE.toArray(Paint[]::new), new Stroke[] {new BasicStroke(2f)}, new Stroke[] {new BasicStroke(1f)},
                new Shape[] {new Ellipse2D.Double(-3, -3, 6, 6)}));
        return t;
    }
}
