package dev.labdesk.worker.agent.analysis.figures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of chart, written for real: an SVG that parses as XML, a PNG ImageIO reads at twice the size, no temporary file left. */
class FigureFilesTest {
    @TempDir Path results;

    @Test
    void everyKindOfChartIsWrittenAsSvgAndPng() throws Exception {
        var names = new FigureNames();
        var bins = new FigureData.Bins(List.of(0.0, 1.0, 2.0, 3.0), List.of(3L, 7L, 2L), null);
        var dates = new FigureData.Bins(List.of(9.466848E8, 9.4677E8, 9.4686E8), List.of(4L, 1L), List.of("2000-01-01", "2000-01-02", "2000-01-03"));
        var bars = new FigureData.Bars(List.of("wt", "<script>alert(1)</script> & \"x\"", "other"), List.of(5.0, 3.0, 1.0), "count");
        var matrix = new FigureData.Matrix("Pearson r", List.of("a", "b", "c"), List.of(List.of(1.0, 0.5, -0.9), List.of(0.5, 1.0, 0.0), List.of(-0.9, 0.0, 1.0)));
        var lines = new FigureData.Lines("time (h)", "OD600", List.of(new FigureData.Series("wt", List.of(0.0, 1.0, 2.0), List.of(0.1, 0.2, 0.4)),
                new FigureData.Series("mutant", List.of(0.0, 1.0, 2.0), List.of(0.1, 0.15, 0.18))));
        var drawings = List.of(
                new FigureFiles.Drawing(names.unique("od600"), "histogram", Charts.histogram("od600", "od600", bins), 640, 320, "histogram of od600", "t.csv", "od600", bins),
                new FigureFiles.Drawing(names.unique("date"), "histogram", Charts.histogram("date", "date", dates), 640, 320, "dates", "t.csv", "date", dates),
                new FigureFiles.Drawing(names.unique("strain"), "bars", Charts.bars("strain", "count", bars, "other"), 640, Charts.barsHeight(3), "top values", "t.csv", "strain", bars),
                new FigureFiles.Drawing(names.unique("corr"), "heatmap", Charts.heatmap("Pearson", matrix), Charts.heatmapSize(3), Charts.heatmapSize(3), "corr", "t.csv", null, matrix),
                new FigureFiles.Drawing(names.unique("growth"), "lines", Charts.lines("growth", lines), 640, 360, "growth", "t.csv", null, lines));
        for (var d : drawings) {
            var f = FigureFiles.write(results, d);
            assertThat(f.svg()).isEqualTo("figures/" + d.name() + ".svg");
            var svg = results.resolve(f.svg());
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(Files.readString(svg)).doesNotContain("<script");
            var png = ImageIO.read(results.resolve(f.png()).toFile());
            assertThat(png.getWidth()).isEqualTo(d.width() * FigureFiles.PNG_SCALE);
            assertThat(png.getHeight()).isEqualTo(d.height() * FigureFiles.PNG_SCALE);
            assertThat(f.markdown()).isEqualTo("![" + d.alt() + "](figures/" + d.name() + ".png)");
        }
        try (var files = Files.list(results.resolve("figures"))) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(10).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
