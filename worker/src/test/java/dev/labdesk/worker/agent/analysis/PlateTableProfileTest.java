package dev.labdesk.worker.agent.analysis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** A 96-well plate time course (97 columns of numbers) is profiled within DuckDB's default memory limit, as narrower tables are. */
class PlateTableProfileTest {
    @TempDir Path dir;
    @TempDir Path scratch;

    @Test
    void aNinetySixWellPlateTableIsProfiledWithoutRunningOutOfMemory() throws Exception {
        var csv = new StringBuilder("Time");
        for (int w = 1; w <= 96; w++) csv.append(",W").append(w);
        csv.append('\n');
        for (int i = 0; i < 49; i++) {
            csv.append(i / 4).append(':').append(String.format(Locale.ROOT, "%02d", i % 4 * 15)).append(":00");
            for (int w = 1; w <= 96; w++) csv.append(',').append(0.05 + i * 0.01 + w * 0.001);
            csv.append('\n');
        }
        Files.writeString(dir.resolve("plate.csv"), csv);
        try (var profiler = new TableProfiler(scratch)) {
            var outcome = profiler.profile("plate.csv", dir.resolve("plate.csv"), FileFormat.CSV);
            assertThat(outcome).isInstanceOfSatisfying(FileOutcome.Tables.class, t -> {
                var table = t.tables().getFirst();
                assertThat(table.rows()).isEqualTo(49);
                assertThat(table.columns()).hasSize(97);
                assertThat(table.columns().get(96).type()).isEqualTo("DOUBLE");
            });
        }
    }
}
