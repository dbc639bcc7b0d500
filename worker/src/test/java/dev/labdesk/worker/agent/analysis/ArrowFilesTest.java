package dev.labdesk.worker.agent.analysis;

import dev.labdesk.worker.testing.ArrowFixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Arrow IPC files and streams written by arrow-java itself, several batches of several types with
 * nulls and a dictionary-encoded column, profiled by the real profiler; old and foreign files are
 * listed with a reason a researcher can act on.
 */
class ArrowFilesTest extends ProfilerFixture {
    static final int BATCHES = ArrowFixtures.BATCHES, PER_BATCH = ArrowFixtures.PER_BATCH;

    @Test
    void anArrowFileOfSeveralBatchesIsProfiledWithItsTypesNullsAndDictionaryValues() throws Exception {
        var file = volume.resolve("plates.arrow");
        ArrowFixtures.write(file, false);
        var t = profiled("plates.arrow", file);
        assertThat(t.format()).isEqualTo(FileFormat.ARROW);
        assertThat(t.rows()).isEqualTo(BATCHES * PER_BATCH);
        assertThat(t.columns()).extracting(TableProfile.Column::name)
                .containsExactly("well", "hour", "od600", "grown", "day", "at", "dose", "strain", "reads");
        var hour = col(t, "hour");
        assertThat(hour.type()).isEqualTo("INTEGER");
        assertThat(hour.nulls()).isEqualTo(rows(i -> i % 10 == 0));
        assertThat(hour.min()).isEqualTo("1");
        var od = col(t, "od600");
        assertThat(od.type()).isEqualTo("DOUBLE");
        assertThat(od.nulls()).isEqualTo(rows(i -> i % 7 == 0));
        double sum = 0;
        long n = 0;
        for (int i = 0; i < BATCHES * PER_BATCH; i++) if (i % 7 != 0) { sum += ArrowFixtures.od(i); n++; }
        assertThat(od.mean()).isCloseTo(sum / n, within(1e-9));
        assertThat(col(t, "grown").type()).isEqualTo("BOOLEAN");
        var day = col(t, "day");
        assertThat(day.type()).isEqualTo("DATE");
        assertThat(day.min()).isEqualTo("2026-01-01");
        assertThat(day.max()).isEqualTo(LocalDate.of(2026, 1, 1).plusDays(99).toString());
        assertThat(col(t, "at").type()).startsWith("TIMESTAMP");
        assertThat(col(t, "dose").type()).isEqualTo("DECIMAL(6,2)");
        assertThat(col(t, "dose").max()).isEqualTo("9.99");
        var strain = col(t, "strain");
        assertThat(strain.distinct()).isEqualTo(3);
        assertThat(strain.nulls()).isEqualTo(rows(i -> i % 11 == 0));
        assertThat(strain.topValues()).extracting(TableProfile.Value::value).containsExactlyInAnyOrder(ArrowFixtures.STRAINS);
        assertThat(col(t, "well").nulls()).isZero();
        assertThat(col(t, "well").distinct()).isEqualTo(96);
        assertThat(col(t, "reads").type()).isEqualTo("BIGINT");
        assertThat(t.sample().get(0)).containsEntry("well", "A1").containsEntry("strain", null);
        assertThat(t.sample().get(1)).containsEntry("well", "A2").containsEntry("strain", "dlacZ");
    }

    @Test
    void aFeatherV2FileAndAnArrowStreamAreReadAlike() throws Exception {
        var feather = volume.resolve("plates.feather");
        ArrowFixtures.write(feather, false);
        var stream = volume.resolve("plates.arrows");
        ArrowFixtures.write(stream, true);
        var a = profiled("plates.feather", feather);
        var b = profiled("plates.arrows", stream);
        assertThat(a.rows()).isEqualTo(b.rows()).isEqualTo(BATCHES * PER_BATCH);
        assertThat(col(a, "od600").mean()).isEqualTo(col(b, "od600").mean());
        assertThat(col(b, "strain").distinct()).isEqualTo(3);
    }

    @Test
    void featherV1IsListedAsTheOldFormatWithHowToFixIt() throws Exception {
        var file = volume.resolve("old.feather");
        // a Feather v1 file starts and ends with FEA1
        Files.write(file, "FEA1\0\0\0\0some old columns\0\0\0\0FEA1".getBytes(StandardCharsets.US_ASCII));
        var outcome = profiler.profile("old.feather", file, FileFormat.ARROW);
        assertThat(outcome).isEqualTo(new FileOutcome.NotRead("not read: Feather v1 (old format); re-save with pyarrow as Feather v2"));
    }

    @Test
    void junkEmptyAndParquetUnderAnArrowNameAreListedWithReasonsWithoutPaths() throws Exception {
        var junk = volume.resolve("junk.arrow");
        var bytes = new byte[4096];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(junk, bytes);
        var empty = Files.createFile(volume.resolve("empty.arrow"));
        var parquet = volume.resolve("really.arrow");
        Files.write(parquet, "PAR1 not really".getBytes(StandardCharsets.US_ASCII));
        assertThat(reason(profiler.profile("junk.arrow", junk, FileFormat.ARROW))).startsWith("not read: not a readable Arrow").doesNotContain(volume.toString());
        assertThat(reason(profiler.profile("empty.arrow", empty, FileFormat.ARROW))).isEqualTo("not read: the file is empty");
        assertThat(reason(profiler.profile("really.arrow", parquet, FileFormat.ARROW)))
                .isEqualTo("not read: this is a Parquet file with an Arrow name; rename it to .parquet");
        // the profiler is still good for the next file
        var good = volume.resolve("good.arrow");
        ArrowFixtures.write(good, false);
        assertThat(profiled("good.arrow", good).rows()).isEqualTo(BATCHES * PER_BATCH);
    }

    private static String reason(FileOutcome o) {
        assertThat(o).isInstanceOf(FileOutcome.NotRead.class);
        return ((FileOutcome.NotRead) o).reason();
    }

    private TableProfile profiled(String name, Path file) throws Exception {
        var outcome = profiler.profile(name, file, FileFormat.ARROW);
        assertThat(outcome).isInstanceOf(FileOutcome.Tables.class);
        return ((FileOutcome.Tables) outcome).tables().getFirst();
    }

    private static TableProfile.Column col(TableProfile t, String name) {
        return t.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static long rows(java.util.function.IntPredicate p) {
        return java.util.stream.IntStream.range(0, BATCHES * PER_BATCH).filter(p).count();
    }

}
