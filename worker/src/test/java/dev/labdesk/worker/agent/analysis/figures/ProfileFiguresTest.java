package dev.labdesk.worker.agent.analysis.figures;

import dev.labdesk.model.Json;
import dev.labdesk.worker.agent.analysis.FileFormat;
import dev.labdesk.worker.agent.analysis.FileOutcome;
import dev.labdesk.worker.agent.analysis.Inventory;
import dev.labdesk.worker.agent.analysis.Report;
import dev.labdesk.worker.agent.analysis.ReportWriter;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.TableProfiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget on a real profile of a wide table: table charts first, columns in order, at most the limit, and the report says what is left out. */
class ProfileFiguresTest {
    @TempDir Path volume;
    @TempDir Path scratch;

    @Test
    void aWideTableGetsAtMostTheBudgetTableChartsFirstAndTheReportSaysTheRestHaveNone() throws Exception {
        int columns = 70;
        var csv = new StringBuilder();
        for (int c = 0; c < columns; c++) csv.append(c == 0 ? "" : ",").append("m").append(c);
        csv.append('\n');
        for (int r = 0; r < 12; r++) {
            for (int c = 0; c < columns; c++)
                csv.append(c == 0 ? "" : ",").append(r == 3 && c % 7 == 0 ? "" : String.format(Locale.ROOT, "%.2f", Math.sin(r * (c + 1) * 0.3) + r * 0.1));
            csv.append('\n');
        }
        Files.writeString(volume.resolve("wide.csv"), csv);
        Files.writeString(volume.resolve("tiny.csv"), "a,b\n1,x\n2,y\n");
        var tables = new ArrayList<TableProfile>();
        try (var profiler = new TableProfiler(scratch)) {
            for (var name : List.of("wide.csv", "tiny.csv"))
                tables.addAll(((FileOutcome.Tables) profiler.profile(name, volume.resolve(name), FileFormat.CSV)).tables());
        }

        var figures = new ProfileFigures(volume.resolve("results"), new FigureNames()).draw(tables);

        assertThat(figures).hasSize(ProfileFigures.MAX_FIGURES);
        assertThat(figures.subList(0, 3)).extracting(Figure::kind).containsExactly("missing", "pearson", "spearman");
        assertThat(figures.subList(3, figures.size())).extracting(Figure::column)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, ProfileFigures.MAX_FIGURES - 3).mapToObj(c -> "m" + c).toList());
        assertThat(figures).noneMatch(f -> "tiny.csv".equals(f.table()));
        assertThat(((FigureData.Matrix) figures.get(1).data()).labels()).hasSize(25);

        var report = new Report("s", null, Instant.EPOCH, "offline", Inventory.of(volume).files(), tables, List.of(), List.of(), null).withFigures(figures);
        new ReportWriter(Json.newMapper()).write(volume, report);
        var md = Files.readString(volume.resolve(Inventory.REPORT_MD));
        var links = Pattern.compile("!\\[[^\\]]+]\\(figures/[a-z0-9-]+\\.png\\)").matcher(md).results().count();
        assertThat(links).isEqualTo(ProfileFigures.MAX_FIGURES);
        assertThat(md).contains((columns - (ProfileFigures.MAX_FIGURES - 3)) + " more columns would have a chart, but a report draws at most "
                + ProfileFigures.MAX_FIGURES + " figures");
        try (var files = Files.list(volume.resolve("results/figures"))) {
            assertThat(files.count()).isEqualTo(2L * ProfileFigures.MAX_FIGURES);
        }
        assertThat(Inventory.of(volume).files()).extracting(Inventory.Entry::path).containsExactly("tiny.csv", "wide.csv");
    }
}
