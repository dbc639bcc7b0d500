package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.FileFormat;
import dev.labdesk.worker.agent.analysis.FileOutcome;
import dev.labdesk.worker.agent.analysis.ProfilerFixture;
import dev.labdesk.worker.agent.analysis.TableProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hypothesis test reads every table from the header row the profile found, with the same lines above it as its
 * preamble: the files where the loader's own rule once disagreed with the profile's (a plate grid under its title, a short
 * header over wider rows of numbers, a metadata line nearly as wide as the table, a gzipped plate-reader export).
 */
class HeaderRulesAgreeTest extends ProfilerFixture {
    private FrameLoader loader;

    @BeforeEach
    void openLoader() throws SQLException {
        loader = new FrameLoader(profiler.database(), scratch);
    }

    @AfterEach
    void dropLoaded() throws SQLException {
        loader.dropAll();
    }

    @Test
    void aPlateGridUnderItsTitleLineIsReadFromItsRowOfColumnNumbersByBoth() throws Exception {
        write("layout.csv", "Strain\n,1,2,3,4\nA,wt,wt,dlacZ,dlacZ\nB,wt,wt,dlacZ,\n");
        var both = read("layout.csv");
        assertThat(both.profile().path()).isEqualTo("layout.csv · Strain"); // read as one of several stacked grids is: its title names it
        assertThat(both.profile().rows()).isEqualTo(2);
        assertThat(both.profile().columns()).extracting(TableProfile.Column::name).containsExactly("row", "1", "2", "3", "4");
        assertThat(both.profile().preamble()).isEmpty();
        assertThat(both.profile().notes()).noneSatisfy(n -> assertThat(n).contains("malformed"));
        both.agree();
        assertThat(both.frame().preamble()).isEqualTo("Strain");
    }

    @Test
    void aShortHeaderOverWiderRowsOfNumbersStaysTheHeaderForBoth() throws Exception {
        write("short.csv", "a,b,\n1,2,3\n4,5,6\n7,8,9\n");
        var both = read("short.csv");
        assertThat(both.profile().rows()).isEqualTo(3);
        assertThat(both.frame().columns()).extracting(FrameColumn::name).startsWith("a", "b");
        both.agree();
        assertThat(both.frame().preamble()).isEmpty();
    }

    @Test
    void aMetadataLineNearlyAsWideAsTheTableIsPreambleForBoth() throws Exception {
        write("kinetic.csv", "Reader,M5\nWavelengths:,600,650,700\n\nTime,Temp,A1,A2,A3\n0,30,0.1,0.2,0.3\n1,30,0.2,0.3,0.4\n");
        var both = read("kinetic.csv");
        assertThat(both.profile().columns()).extracting(TableProfile.Column::name).containsExactly("Time", "Temp", "A1", "A2", "A3");
        assertThat(both.profile().rows()).isEqualTo(2);
        both.agree();
        assertThat(both.frame().preamble()).isEqualTo("Reader M5\nWavelengths 600, 650, 700");
    }

    @Test
    void aGzippedPlateReaderExportIsReadFromItsHeaderRowByBoth() throws Exception {
        var e = GrowthExperiment.seeded(5);
        var plain = scratch.resolve("export.csv");
        e.writeExport(plain);
        try (var out = new GZIPOutputStream(Files.newOutputStream(volume.resolve("export.csv.gz")))) {
            out.write(Files.readAllBytes(plain));
        }
        var both = read("export.csv.gz");
        assertThat(both.profile().rows()).isEqualTo(25);
        assertThat(both.profile().columns().getFirst().name()).isEqualTo("Time");
        both.agree();
        assertThat(both.frame().preamble()).startsWith("Software Version 3.11.19\n").endsWith("\nOD:600");
    }

    /** A table as the profile read it and as the hypothesis test loaded it. */
    private record Both(TableProfile profile, Frame frame) {
        void agree() {
            assertThat(frame.rows()).isEqualTo(profile.rows());
            // the loader leaves out columns with no value at all; every other column is the profile's, in its order
            var named = profile.columns().stream().filter(c -> c.count() > 0).map(TableProfile.Column::name).toList();
            assertThat(frame.columns()).extracting(FrameColumn::name).containsExactlyElementsOf(named);
        }
    }

    private Both read(String name) throws Exception {
        var outcome = profiler.profile(name, volume.resolve(name), FileFormat.ofName(name));
        assertThat(outcome).isInstanceOf(FileOutcome.Tables.class);
        var profiles = ((FileOutcome.Tables) outcome).tables();
        var frames = loader.load(volume, profiles);
        assertThat(loader.skipped()).isEmpty();
        assertThat(frames).hasSize(1);
        return new Both(profiles.getFirst(), frames.getFirst());
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(volume.resolve(name), text, StandardCharsets.UTF_8);
    }
}
