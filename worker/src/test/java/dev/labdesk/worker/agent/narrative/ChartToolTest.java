package dev.labdesk.worker.agent.narrative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.worker.agent.analysis.FileFormat;
import dev.labdesk.worker.agent.analysis.TableProfiler;
import dev.labdesk.worker.agent.analysis.figures.FigureData;
import dev.labdesk.worker.agent.analysis.figures.FigureNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Charts the model asks for, drawn for real from its queries over real DuckDB tables: the numbers drawn
 * are the query's, histograms are binned over every row, and a bad request is answered with an error and
 * draws nothing.
 */
class ChartToolTest {
    private static final ObjectMapper JSON = Json.newMapper();
    @TempDir Path volume;
    @TempDir Path scratch;
    private QueryTool query;
    private ChartTool charts;

    @BeforeEach
    void open() throws Exception {
        var growth = new StringBuilder("hour,strain,od600\n");
        for (int h = 0; h < 10; h++) {
            growth.append(h).append(",wt,").append(0.1 + 0.05 * h).append('\n');
            growth.append(h).append(",mut,").append(0.1 + 0.03 * h).append('\n');
        }
        Files.writeString(volume.resolve("growth.csv"), growth);
        var values = new StringBuilder("v\n");
        for (int i = 0; i < 20_000; i++) values.append(i % 100).append('\n');
        Files.writeString(volume.resolve("values.csv"), values);
        var sandbox = new SandboxedTables(scratch);
        try (var profiler = new TableProfiler(scratch, sandbox)) {
            profiler.profile("growth.csv", volume.resolve("growth.csv"), FileFormat.CSV);
            profiler.profile("values.csv", volume.resolve("values.csv"), FileFormat.CSV);
        }
        query = sandbox.open(Duration.ofSeconds(5), JSON);
        charts = new ChartTool(volume.resolve("results"), query, new FigureNames(), JSON);
    }

    @AfterEach
    void close() throws Exception {
        query.close();
    }

    @Test
    void aBarChartDrawsTheQuerysRowsAndAnswersWithItsMarkdown() throws Exception {
        var answer = draw("{\"kind\":\"bar\",\"sql\":\"SELECT strain, max(od600) AS top FROM growth GROUP BY strain ORDER BY strain\","
                + "\"x\":\"strain\",\"y\":\"top\",\"title\":\"Highest OD600\"}");
        assertThat(answer.path("markdown").asText()).isEqualTo("![Highest OD600: bar chart of top by strain, from the model's query](figures/model-highest-od600.png)");
        var png = ImageIO.read(volume.resolve("results/figures/model-highest-od600.png").toFile());
        assertThat(png.getWidth()).isEqualTo(ChartTool.WIDTH * 2);
        assertThat(volume.resolve("results/figures/model-highest-od600.svg")).isNotEmptyFile();
        var chart = charts.charts().getFirst();
        assertThat(chart.sql()).startsWith("SELECT strain, max(od600)");
        var bars = (FigureData.Bars) chart.figure().data();
        assertThat(bars.labels()).containsExactly("mut", "wt");
        assertThat(bars.values().get(0)).isCloseTo(0.37, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(bars.values().get(1)).isCloseTo(0.55, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(query.queries()).singleElement().satisfies(q -> {
            assertThat(q.tool()).isEqualTo("chart");
            assertThat(q.rows()).isEqualTo(2);
        });
    }

    @Test
    void linesAndScattersHaveOneSeriesPerValueOfTheSeriesColumn() throws Exception {
        for (var kind : List.of("line", "scatter")) {
            var answer = draw("{\"kind\":\"" + kind + "\",\"sql\":\"SELECT hour, strain, od600 FROM growth ORDER BY strain, hour\","
                    + "\"x\":\"hour\",\"y\":\"od600\",\"series\":\"strain\",\"title\":\"Growth " + kind + "\"}");
            assertThat(answer.has("error")).as(answer.toString()).isFalse();
        }
        assertThat(charts.charts()).extracting(c -> c.figure().kind()).containsExactly("lines", "scatter");
        var lines = (FigureData.Lines) charts.charts().getFirst().figure().data();
        assertThat(lines.series()).extracting(FigureData.Series::name).containsExactly("mut", "wt");
        assertThat(lines.series().get(1).x()).hasSize(10).startsWith(0.0).endsWith(9.0);
        assertThat(lines.series().get(1).y().get(9)).isCloseTo(0.55, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aHistogramIsBinnedByDuckDbOverEveryRowNotJustTheFirstThousands() throws Exception {
        var answer = draw("{\"kind\":\"histogram\",\"sql\":\"SELECT v FROM values_table -- every row\",\"x\":\"v\",\"bins\":10,\"title\":\"Values\"}");
        assertThat(answer.has("error")).as(answer.toString()).isFalse();
        var bins = (FigureData.Bins) charts.charts().getFirst().figure().data();
        assertThat(bins.counts()).isEqualTo(Collections.nCopies(10, 2_000L));
        assertThat(bins.edges()).hasSize(11).startsWith(0.0).endsWith(99.0);
        assertThat(bins.counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000).isGreaterThan(ChartTool.MAX_POINTS);
    }

    @Test
    void aBadRequestIsAnsweredWithItsErrorAndDrawsNothing() throws Exception {
        assertThat(draw("{\"kind\":\"bar\",\"sql\":\"COPY growth TO '/tmp/x.csv'\",\"x\":\"strain\",\"y\":\"od600\",\"title\":\"t\"}").path("error").asText())
                .startsWith("refused:");
        assertThat(draw("{\"kind\":\"bar\",\"sql\":\"SELECT * FROM read_csv('/etc/passwd')\",\"x\":\"a\",\"y\":\"b\",\"title\":\"t\"}").path("error").asText())
                .contains("disabled by configuration");
        assertThat(draw("{\"kind\":\"bar\",\"sql\":\"SELECT strain, od600 FROM growth\",\"x\":\"nope\",\"y\":\"od600\",\"title\":\"t\"}").path("error").asText())
                .isEqualTo("no column 'nope' in the query's result; its columns are [strain, od600]");
        assertThat(draw("{\"kind\":\"line\",\"sql\":\"SELECT strain, hour FROM growth\",\"x\":\"strain\",\"y\":\"hour\",\"title\":\"t\"}").path("error").asText())
                .startsWith("'strain' must be numeric");
        assertThat(draw("{\"kind\":\"pie\",\"sql\":\"SELECT 1 AS a\",\"x\":\"a\",\"title\":\"t\"}").path("error").asText())
                .isEqualTo("kind must be one of [bar, line, scatter, histogram]");
        assertThat(draw("{\"kind\":\"histogram\",\"sql\":\"SELECT v FROM values_table WHERE v < 0\",\"x\":\"v\",\"title\":\"t\"}").path("error").asText())
                .isEqualTo("'v' has no numeric value to draw");
        assertThat(charts.charts()).isEmpty();
        assertThat(volume.resolve("results/figures")).doesNotExist();
        assertThat(query.queries()).filteredOn(q -> q.error() != null).hasSize(2);
    }

    @Test
    void noMoreThanTheMaximumOfChartsIsDrawn() throws Exception {
        for (int i = 0; i < ChartTool.MAX_CHARTS; i++)
            assertThat(draw("{\"kind\":\"bar\",\"sql\":\"SELECT strain, count(*) AS n FROM growth GROUP BY strain\",\"x\":\"strain\",\"y\":\"n\",\"title\":\"Count\"}")
                    .has("error")).isFalse();
        assertThat(draw("{\"kind\":\"bar\",\"sql\":\"SELECT 'a' AS x, 1 AS y\",\"x\":\"x\",\"y\":\"y\",\"title\":\"One more\"}").path("error").asText())
                .isEqualTo("no more charts: " + ChartTool.MAX_CHARTS + " have been drawn");
        assertThat(charts.charts()).extracting(c -> c.figure().name()).doesNotHaveDuplicates().contains("model-count", "model-count-2");
    }

    private JsonNode draw(String arguments) throws Exception {
        return JSON.readTree(charts.draw(JSON.readTree(arguments)));
    }
}
