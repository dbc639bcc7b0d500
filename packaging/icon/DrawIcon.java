import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the Labdesk icon (a flask with a rising chart on a blue tile) as vectors at every size the
 * installers want, so each size is drawn sharp rather than scaled from one bitmap, and writes:
 * {@code labdesk.png} (512 px, Linux), {@code labdesk.ico} (Windows: PNG entries 16–256 px) and
 * {@code labdesk.icns} (macOS: PNG entries 16–1024 px). Both container formats accept PNG payloads,
 * which keeps the writers below a few lines each.
 *
 * <p>Run with a JDK (source launcher): {@code java packaging/icon/DrawIcon.java <output dir>}.
 */
public final class DrawIcon {
    public static void main(String[] args) throws IOException {
        var out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "."));
        Files.write(out.resolve("labdesk.png"), png(draw(512)));
        Files.write(out.resolve("labdesk.ico"), ico(List.of(16, 24, 32, 48, 64, 128, 256)));
        var icns = new LinkedHashMap<String, Integer>();
        icns.put("icp4", 16);
        icns.put("icp5", 32);
        icns.put("icp6", 64);
        icns.put("ic07", 128);
        icns.put("ic08", 256);
        icns.put("ic09", 512);
        icns.put("ic10", 1024);
        Files.write(out.resolve("labdesk.icns"), icns(icns));
        System.out.println("icons written to " + out.toAbsolutePath());
    }

    static BufferedImage draw(int size) {
        var image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        var g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.scale(size / 100.0, size / 100.0); // everything below is in a 100 × 100 box

        // the tile: deep blue to teal, the corner radius macOS and GNOME use for app icons
        var tile = new RoundRectangle2D.Double(4, 4, 92, 92, 22, 22);
        g.setPaint(new GradientPaint(0, 4, new Color(0x1E3A8A), 0, 96, new Color(0x0E7490)));
        g.fill(tile);

        // the flask: neck, shoulders, wide base
        var flask = new GeneralPath();
        flask.moveTo(40, 18);
        flask.lineTo(60, 18);
        flask.lineTo(60, 22);
        flask.lineTo(57, 22);
        flask.lineTo(57, 40);
        flask.lineTo(78, 76);
        flask.quadTo(81, 84, 72, 84);
        flask.lineTo(28, 84);
        flask.quadTo(19, 84, 22, 76);
        flask.lineTo(43, 40);
        flask.lineTo(43, 22);
        flask.lineTo(40, 22);
        flask.closePath();
        g.setColor(new Color(255, 255, 255, 235));
        g.fill(flask);

        // the liquid: the lower part of the flask, amber like a culture
        var liquid = new GeneralPath();
        liquid.moveTo(33.5, 58);
        liquid.lineTo(66.5, 58);
        liquid.lineTo(76, 74);
        liquid.quadTo(78.5, 80, 71, 80);
        liquid.lineTo(29, 80);
        liquid.quadTo(21.5, 80, 24, 74);
        liquid.closePath();
        g.setPaint(new GradientPaint(0, 58, new Color(0xFBBF24), 0, 80, new Color(0xF97316)));
        g.fill(liquid);

        // a rising line chart across the liquid: data being analysed
        g.setColor(new Color(0x1E3A8A));
        g.setStroke(new BasicStroke(3.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        var chart = new GeneralPath();
        chart.moveTo(31, 75);
        chart.lineTo(42, 68);
        chart.lineTo(51, 71);
        chart.lineTo(65, 61);
        g.draw(chart);
        g.fill(new Ellipse2D.Double(62.5, 58.5, 5, 5));

        // bubbles above the liquid, left out at the smallest sizes where they would only blur
        if (size >= 32) {
            g.setColor(new Color(0xFBBF24));
            g.fill(new Ellipse2D.Double(47, 47, 6, 6));
            g.fill(new Ellipse2D.Double(52.5, 40, 4, 4));
            g.fill(new Ellipse2D.Double(46, 32, 3, 3));
        }
        g.dispose();
        return image;
    }

    static byte[] png(BufferedImage image) {
        try {
            var bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ICONDIR, one ICONDIRENTRY per size, then the PNG payloads (little-endian; 0 means 256). */
    static byte[] ico(List<Integer> sizes) {
        var images = sizes.stream().map(s -> png(draw(s))).toList();
        int header = 6 + 16 * sizes.size();
        int total = header + images.stream().mapToInt(b -> b.length).sum();
        var buf = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        buf.putShort((short) 0).putShort((short) 1).putShort((short) sizes.size());
        int offset = header;
        for (int i = 0; i < sizes.size(); i++) {
            int s = sizes.get(i);
            buf.put((byte) (s >= 256 ? 0 : s)).put((byte) (s >= 256 ? 0 : s)).put((byte) 0).put((byte) 0);
            buf.putShort((short) 1).putShort((short) 32).putInt(images.get(i).length).putInt(offset);
            offset += images.get(i).length;
        }
        images.forEach(buf::put);
        return buf.array();
    }

    /** 'icns' + total length, then per entry its type, its length (8 + payload) and the PNG (big-endian). */
    static byte[] icns(Map<String, Integer> entries) {
        var bytes = new ByteArrayOutputStream();
        entries.forEach((type, size) -> {
            var image = png(draw(size));
            bytes.writeBytes(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            bytes.writeBytes(ByteBuffer.allocate(4).putInt(8 + image.length).array());
            bytes.writeBytes(image);
        });
        var body = bytes.toByteArray();
        return ByteBuffer.allocate(8 + body.length).put("icns".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(8 + body.length).put(body).array();
    }
}
