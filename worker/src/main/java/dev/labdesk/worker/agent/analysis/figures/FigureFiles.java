package dev.labdesk.worker.agent.analysis.figures;

import org.jfree.svg.ViewBox;

import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

import javax.imageio.ImageIO;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a chart as {@code <name>.svg} and {@code <name>.png} into {@code results/figures/}, each
 * through a temporary file moved into place (a reader never sees half an image). The PNG has
 * {@link #PNG_SCALE} pixels per CSS pixel, sharp on high-density screens.
 */
public final class FigureFiles {
    /** The folder under {@code results/}, as report.md's links name it. */
    public static final String DIR = "figures";
    public static final int PNG_SCALE = 2;

    private FigureFiles() {}

    /** What to draw and how {@code report.json} describes it. */
    public record Drawing(String name, String kind, JFreeChart chart, int width, int height, String alt, String table, String column, FigureData data) {
        public Drawing {
            if (!FigureNames.valid(name)) throw new IllegalArgumentException("not a figure name: " + name);
        }
    }

    /** Draws {@code d} into {@code resultsDir/figures/} as SVG and PNG. */
    public static Figure write(Path resultsDir, Drawing d) throws IOException {
        var dir = Files.createDirectories(resultsDir.resolve(DIR));
        atomically(dir.resolve(d.name() + ".svg"), svg(d.chart(), d.width(), d.height()));
        atomically(dir.resolve(d.name() + ".png"), png(d.chart(), d.width(), d.height()));
        var title = d.chart().getTitle() == null ? d.alt() : d.chart().getTitle().getText();
        return new Figure(d.name(), d.kind(), title, d.alt(), DIR + "/" + d.name() + ".svg", DIR + "/" + d.name() + ".png",
                d.width(), d.height(), d.table(), d.column(), d.data());
    }

    static byte[] svg(JFreeChart chart, int width, int height) {
        var g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        // a viewBox lets the page scale the SVG to its column like the PNG
        return g.getSVGElement(null, true, new ViewBox(0, 0, width, height), null, null).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] png(JFreeChart chart, int width, int height) throws IOException {
        var image = new BufferedImage(width * PNG_SCALE, height * PNG_SCALE, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.scale(PNG_SCALE, PNG_SCALE);
            chart.draw(g, new Rectangle(0, 0, width, height));
        } finally {
            g.dispose();
        }
        var out = new ByteArrayOutputStream(64 * 1024);
        if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this JVM");
        return out.toByteArray();
    }

    private static void atomically(Path target, byte[] content) throws IOException {
        var tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
