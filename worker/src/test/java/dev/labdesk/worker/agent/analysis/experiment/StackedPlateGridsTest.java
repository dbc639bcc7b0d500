package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.model.Json;
import dev.labdesk.worker.agent.analysis.FileFormat;
import dev.labdesk.worker.agent.analysis.FileOutcome;
import dev.labdesk.worker.agent.analysis.ProfilerFixture;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.TableProfiler;
import dev.labdesk.worker.agent.narrative.SandboxedTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Plate grids stacked one under another in one file (a layout's strain and medium blocks, a reader's OD and GFP reads), or one
 * layout grid under its title: the profile lists each grid as its own table, named by its title, with its own counts and alerts; the hypothesis test reads the
 * same grids (one block reader) as the file's one well map. Files whose grids differ in size, have no titles, or hold lines in
 * no grid say what was read; a grid table's row letters are the column {@code row} unless the file names them. Real files through the real profiler, loader and report writer.
 */
class StackedPlateGridsTest extends ProfilerFixture {
    private static final List<String> COLUMNS = IntStream.rangeClosed(0, 12).mapToObj(c -> c == 0 ? "row" : String.valueOf(c)).toList();
    private FrameLoader loader;

    @BeforeEach
    void openLoader() throws SQLException {
        loader = new FrameLoader(profiler.database(), scratch);
    }

    @AfterEach
    void dropLoaded() {
        loader.dropAll();
    }

    @Test
    void aLayoutOfTwoTitledGridsIsOneTablePerGridNamedByItsTitleWithItsOwnCountsAndAlerts() throws Exception {
        GrowthExperiment.seeded(5).writeLayoutCsv(volume.resolve("layout.csv"));
        var tables = profile("layout.csv");

        assertThat(tables).extracting(TableProfile::path).containsExactly("layout.csv · Strain", "layout.csv · Medium");
        var strain = tables.get(0);
        var medium = tables.get(1);
        assertThat(strain.grid()).isEqualTo(new TableProfile.Grid("layout.csv", "Strain", 2, 10));
        assertThat(medium.grid()).isEqualTo(new TableProfile.Grid("layout.csv", "Medium", 13, 21));
        for (var t : tables) {
            assertThat(t.rows()).isEqualTo(8); // rows A–H, not the 17 lines of both grids and the other's title
            assertThat(t.columns()).extracting(TableProfile.Column::name).containsExactlyElementsOf(COLUMNS);
            assertThat(t.notes()).noneSatisfy(n -> assertThat(n).contains("malformed"));
            assertThat(t.preamble()).isEmpty();
        }
        assertThat(strain.notes()).anySatisfy(n -> assertThat(n).contains("plate grid 1 of 2 stacked in the file (`Strain`, `Medium`)",
                "lines 2–10 (rows A–H × columns 1–12), its title on line 1"));
        assertThat(medium.notes()).anySatisfy(n -> assertThat(n).contains("plate grid 2 of 2", "lines 13–21 (rows A–H × columns 1–12), its title on line 12"));
        // column 1 of the strains: wt in A1 and B1, blank in H1, five empty wells; of the media: LB in those three
        var strain1 = column(strain, "1");
        assertThat(strain1.count()).isEqualTo(3);
        assertThat(strain1.nulls()).isEqualTo(5);
        assertThat(strain1.topValues()).extracting(TableProfile.Value::value, TableProfile.Value::count).containsExactly(
                org.assertj.core.groups.Tuple.tuple("wt", 2L), org.assertj.core.groups.Tuple.tuple("blank", 1L));
        assertThat(strain.alerts()).anySatisfy(a -> assertThat(a.column() + " " + a.message()).isEqualTo("5 every value is \"dlacZ\""));
        assertThat(medium.alerts()).anySatisfy(a -> assertThat(a.column() + " " + a.message()).isEqualTo("1 every value is \"LB\""));
        assertThat(column(medium, "5").count()).isEqualTo(2);

        // the hypothesis test reads the same two grids as the file's one well map: 28 wells, a column per grid
        var frames = new PlateLayout(profiler.database(), loader).melt(loader.load(volume, tables));
        assertThat(loader.skipped()).isEmpty();
        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("layout.csv");
            assertThat(f.rows()).isEqualTo(28);
            assertThat(f.columns()).extracting(FrameColumn::name).containsExactly("well", "Strain", "Medium");
            assertThat(f.notes()).containsExactly("plate-grid layout: 2 blocks (`Strain`, `Medium`) read as a well map of 28 wells; wells left empty in every block are not in it");
        });
    }

    @Test
    void aWorkbookSheetOfTwoGridsIsOneTablePerGridToo() throws Exception {
        GrowthExperiment.seeded(5).writeLayoutXlsx(volume.resolve("plate layout.xlsx"));
        var tables = profile("plate layout.xlsx");
        assertThat(tables).extracting(TableProfile::path).containsExactly("plate layout.xlsx#Layout · Strain", "plate layout.xlsx#Layout · Medium");
        assertThat(tables).allSatisfy(t -> {
            assertThat(t.rows()).isEqualTo(8);
            assertThat(t.notes()).contains("sheet \"Layout\"").anySatisfy(n -> assertThat(n).contains("stacked in the sheet"));
        });
        assertThat(column(tables.get(0), "12").topValues()).extracting(TableProfile.Value::value).containsExactly("dptsG");
    }

    @Test
    void gridsWithoutTitlesAndOfTwoSizesAreNamedByTheirPlaceAndSaySo() throws Exception {
        var csv = new StringBuilder();
        grid(csv, "", 8, 12, (r, c) -> "s" + (c - 1) / 4);
        csv.append('\n');
        grid(csv, "", 16, 24, (r, c) -> "m" + c % 3);
        Files.writeString(volume.resolve("untitled.csv"), csv);
        var tables = profile("untitled.csv");

        assertThat(tables).extracting(TableProfile::path).containsExactly("untitled.csv · grid 1", "untitled.csv · grid 2");
        assertThat(tables).extracting(TableProfile::rows).containsExactly(8L, 16L);
        assertThat(tables).extracting(t -> t.columns().size()).containsExactly(13, 25);
        assertThat(tables.get(1).columns().getLast().name()).isEqualTo("24");
        assertThat(tables.get(1).notes()).anySatisfy(n -> assertThat(n).contains("(`grid 1`, `grid 2`, not all of one size)",
                "lines 11–27 (rows A–P × columns 1–24), with no title"));
        assertThat(tables.get(0).grid().title()).isNull();
    }

    @Test
    void readingsStackedUnderAHeaderBlockAreTypedPerGridAndWhatNoGridHoldsIsNamed() throws Exception {
        var csv = new StringBuilder("Reader,Synergy H1\nDate,2026-12-01\n\nOD600\n");
        grid(csv, "<>", 8, 12, (r, c) -> String.format(Locale.ROOT, "%.3f", 0.1 * (r + 1) + 0.01 * c));
        csv.insert(csv.indexOf("\nB,"), ",560"); // a cell right of column 12 on line 6
        csv.append("\nGFP\n");
        grid(csv, "<>", 8, 12, (r, c) -> String.valueOf(100 * (r + 1) + c));
        csv.append("\nEnd of export,checksum 1234\n");
        Files.writeString(volume.resolve("endpoint.csv"), csv);
        var tables = profile("endpoint.csv");

        assertThat(tables).extracting(TableProfile::path).containsExactly("endpoint.csv · OD600", "endpoint.csv · GFP");
        var od = tables.get(0);
        var gfp = tables.get(1);
        // column 1 by hand: 0.11, 0.21, …, 0.81
        assertThat(column(od, "1").type()).isEqualTo("DOUBLE");
        assertThat(column(od, "1").mean()).isCloseTo(0.46, within(1e-12));
        assertThat(column(gfp, "12").type()).isEqualTo("BIGINT");
        assertThat(column(gfp, "12").min()).isEqualTo("112");
        assertThat(column(gfp, "12").max()).isEqualTo("812");
        assertThat(od.preamble()).containsExactly(new TableProfile.MetadataLine(1, "Reader", "Synergy H1"), new TableProfile.MetadataLine(2, "Date", "2026-12-01"));
        assertThat(gfp.preamble()).isEqualTo(od.preamble());
        assertThat(od.notes()).contains("cells outside the grid (left of its row letters or right of column 12) are not read: line 6 `560`",
                "the 2 lines above the first grid are the file's metadata, listed as the preamble of each grid's table",
                "line 26 of the file is in no grid and not read: `End of export, checksum 1234`");
        assertThat(gfp.notes()).noneSatisfy(n -> assertThat(n).startsWith("cells outside")).contains("line 26 of the file is in no grid and not read: `End of export, checksum 1234`");

        // readings are no layout: the hypothesis test sees the two grids as the profile does, each its own table
        var frames = new PlateLayout(profiler.database(), loader).melt(loader.load(volume, tables));
        assertThat(frames).extracting(Frame::name).containsExactly("endpoint.csv · OD600", "endpoint.csv · GFP");
        assertThat(frames).extracting(Frame::rows).containsExactly(8L, 8L);
        assertThat(frames.getFirst().preamble()).isEqualTo("OD600");
    }

    @Test
    void theReportHasOneSectionPerGridAndNoMalformedLine() throws Exception {
        GrowthExperiment.seeded(5).writeLayoutCsv(volume.resolve("layout.csv"));
        var md = Analysed.reportMd(volume, Files.createDirectories(scratch.resolve("report")), null, new ArrayList<>());
        assertThat(md).contains("**2 tables with 16 rows in 1 file (", "## Table `layout.csv · Strain`\n\n8 rows, 13 columns (csv); 68 missing cells (65.4 %); 0 duplicate rows.",
                "## Table `layout.csv · Medium`\n\n8 rows, 13 columns (csv); 68 missing cells (65.4 %); 0 duplicate rows.")
                .doesNotContain("malformed", "## Table `layout.csv`\n");
    }

    @Test
    void theModelsQueryToolNamesEachGridsTableByItsFileAndTitle() throws Exception {
        GrowthExperiment.seeded(5).writeLayoutCsv(volume.resolve("layout.csv"));
        var sandbox = new SandboxedTables(Files.createDirectories(scratch.resolve("sandbox")));
        try (var keeping = new TableProfiler(Files.createDirectories(scratch.resolve("keeping")), sandbox)) {
            var tables = ((FileOutcome.Tables) keeping.profile("layout.csv", volume.resolve("layout.csv"), FileFormat.CSV)).tables();
            assertThat(sandbox.tables(tables)).extracting(SandboxedTables.Table::name, SandboxedTables.Table::rows)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("layout_strain", 8L), org.assertj.core.groups.Tuple.tuple("layout_medium", 8L));
        }
    }

    @Test
    void aSingleTitledLayoutGridIsOneTableNamedByItsTitleAsAStackedOneIs() throws Exception {
        writeStrainGridOnly("layout.csv");
        var tables = profile("layout.csv");

        var strain = assertThat(tables).singleElement().actual();
        assertThat(strain.path()).isEqualTo("layout.csv · Strain");
        assertThat(strain.grid()).isEqualTo(new TableProfile.Grid("layout.csv", "Strain", 2, 10));
        assertThat(strain.rows()).isEqualTo(8);
        assertThat(strain.columns()).extracting(TableProfile.Column::name).containsExactlyElementsOf(COLUMNS);
        assertThat(strain.preamble()).isEmpty(); // its title names the table: it is no metadata line
        assertThat(strain.notes()).contains("the file's one plate grid, profiled as its own table: lines 2–10 (rows A–H × columns 1–12),"
                + " its title on line 1; its row letters are the column `row`").noneSatisfy(n -> assertThat(n).contains("malformed", "stacked"));
        assertThat(column(strain, "row").topValues()).hasSize(8);
        assertThat(column(strain, "1").topValues()).extracting(TableProfile.Value::value, TableProfile.Value::count).containsExactly(
                org.assertj.core.groups.Tuple.tuple("wt", 2L), org.assertj.core.groups.Tuple.tuple("blank", 1L));
        assertThat(strain.alerts()).anySatisfy(a -> assertThat(a.column() + " " + a.message()).isEqualTo("5 every value is \"dlacZ\""));

        // the hypothesis test's well map is the file's, as when the grid was read as the file's one table
        var frames = new PlateLayout(profiler.database(), loader).melt(loader.load(volume, tables));
        assertThat(loader.skipped()).isEmpty();
        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("layout.csv");
            assertThat(f.rows()).isEqualTo(28);
            assertThat(f.columns()).extracting(FrameColumn::name).containsExactly("well", "Strain");
            assertThat(f.notes()).containsExactly("plate-grid layout: 1 block (`Strain`) read as a well map of 28 wells; wells left empty in every block are not in it");
        });
    }

    @Test
    void aSingleGridTitledInItsCornerIsNamedByThatTitleUnderTheFilesMetadata() throws Exception {
        var csv = new StringBuilder("Plate 7,barcode P0007\n\n");
        grid(csv, "Strain", 8, 12, (r, c) -> c <= 6 ? "wt" : "dlacZ");
        Files.writeString(volume.resolve("corner.csv"), csv);
        var tables = profile("corner.csv");

        assertThat(tables).extracting(TableProfile::path).containsExactly("corner.csv · Strain");
        var strain = tables.getFirst();
        assertThat(strain.columns()).extracting(TableProfile.Column::name).containsExactlyElementsOf(COLUMNS);
        assertThat(strain.preamble()).containsExactly(new TableProfile.MetadataLine(1, "Plate 7", "barcode P0007"));
        assertThat(strain.notes()).anySatisfy(n -> assertThat(n).contains("lines 3–11 (rows A–H × columns 1–12), its title in its corner cell"))
                .contains("the line above the first grid is the file's metadata, listed as the preamble of its table");
    }

    @Test
    void anUntitledLayoutGridKeepsItsReadingButItsUnnamedRowLettersAreTheColumnRow() throws Exception {
        var csv = new StringBuilder();
        grid(csv, "", 8, 12, (r, c) -> "s" + (c - 1) / 4);
        Files.writeString(volume.resolve("untitled.csv"), csv);
        var tables = profile("untitled.csv");

        var table = assertThat(tables).singleElement().actual();
        assertThat(table.path()).isEqualTo("untitled.csv"); // the file's table, as before: no title to name it by
        assertThat(table.grid()).isNull();
        assertThat(table.rows()).isEqualTo(8);
        assertThat(table.columns()).extracting(TableProfile.Column::name).containsExactlyElementsOf(COLUMNS);
        assertThat(table.notes()).contains("the table's header is a plate grid's (line 1, rows A–H × columns 1–12): its row letters,"
                + " under an empty header cell, are the column `row`");
        assertThat(table.sample().getFirst()).containsEntry("row", "A").doesNotContainKey("column00");

        // the hypothesis test loads the same columns, then reads the grid as a well map of one unnamed factor
        var loaded = loader.load(volume, tables);
        assertThat(loaded).singleElement().satisfies(f -> assertThat(f.columns()).extracting(FrameColumn::name).containsExactlyElementsOf(COLUMNS));
        var frames = new PlateLayout(profiler.database(), loader).melt(loaded);
        assertThat(frames).singleElement().satisfies(f -> assertThat(f.columns()).extracting(FrameColumn::name).containsExactly("well", "group"));
    }

    @Test
    void gridsWhoseFilesNameTheRowLettersOrHoldReadingsKeepTheirReading() throws Exception {
        var corner = new StringBuilder();
        grid(corner, "<>", 8, 12, (r, c) -> "s" + c % 2);
        Files.writeString(volume.resolve("marked.csv"), corner);
        var readings = new StringBuilder("OD600\n");
        grid(readings, "", 8, 12, (r, c) -> r == 7 && c == 12 ? "OVRFLW" : String.format(Locale.ROOT, "%.3f", 0.1 * (r + 1) + 0.01 * c));
        Files.writeString(volume.resolve("od.csv"), readings);

        var marked = assertThat(profile("marked.csv")).singleElement().actual();
        assertThat(marked.path()).isEqualTo("marked.csv");
        assertThat(marked.columns().getFirst().name()).isEqualTo("<>"); // the file's own name for them
        assertThat(marked.notes()).noneSatisfy(n -> assertThat(n).contains("`row`"));

        // one grid of readings under its title (a reader's flag in one well) stays the file's table, the title its preamble; only its unnamed row letters are named
        var od = assertThat(profile("od.csv")).singleElement().actual();
        assertThat(od.path()).isEqualTo("od.csv");
        assertThat(od.grid()).isNull();
        assertThat(od.preamble()).containsExactly(new TableProfile.MetadataLine(1, "OD600", ""));
        assertThat(od.columns()).extracting(TableProfile.Column::name).containsExactlyElementsOf(COLUMNS);
        assertThat(column(od, "1").type()).isEqualTo("DOUBLE");
        assertThat(column(od, "1").mean()).isCloseTo(0.46, within(1e-12));
        assertThat(column(od, "12").invalidExamples()).containsExactly("OVRFLW");
    }

    @Test
    void theReportHasASingleTitledGridsSectionUnderItsTitleWithNoColumn00() throws Exception {
        writeStrainGridOnly("layout.csv");
        var md = Analysed.reportMd(volume, Files.createDirectories(scratch.resolve("report")), null, new ArrayList<>());
        assertThat(md).contains("**1 table with 8 rows in 1 file (", "## Table `layout.csv · Strain`\n\n8 rows, 13 columns (csv);",
                        "the file's one plate grid, profiled as its own table: lines 2–10 (rows A–H × columns 1–12), its title on line 1")
                .doesNotContain("column00", "## Table `layout.csv`\n", "malformed");
    }

    @Test
    void theModelsQueryToolNamesASingleTitledGridsTableByItsFileAndTitleAndItsRowLettersRow() throws Exception {
        writeStrainGridOnly("layout.csv");
        var sandbox = new SandboxedTables(Files.createDirectories(scratch.resolve("sandbox")));
        try (var keeping = new TableProfiler(Files.createDirectories(scratch.resolve("keeping")), sandbox)) {
            var tables = ((FileOutcome.Tables) keeping.profile("layout.csv", volume.resolve("layout.csv"), FileFormat.CSV)).tables();
            var table = assertThat(sandbox.tables(tables)).singleElement().actual();
            assertThat(table.name()).isEqualTo("layout_strain");
            assertThat(table.rows()).isEqualTo(8);
            assertThat(table.sqlColumns().getFirst()).isIn("row", "\"row\"");
            try (var tool = sandbox.open(Duration.ofSeconds(10), Json.newMapper())) {
                var result = tool.rows("SELECT " + table.sqlColumns().getFirst() + ", \"1\" FROM layout_strain ORDER BY 1 LIMIT 2", 10);
                assertThat(result.error()).isNull();
                assertThat(result.rows()).extracting(r -> String.valueOf(r.get(0)) + " " + r.get(1)).containsExactly("A wt", "B wt");
            }
        }
    }

    /** The layout's first grid alone: its title line, its header and rows A–H. */
    private void writeStrainGridOnly(String name) throws IOException {
        var out = new StringBuilder();
        for (var l : GrowthExperiment.seeded(5).layoutGrid().subList(0, 10)) out.append(String.join(",", l)).append('\n');
        Files.writeString(volume.resolve(name), out);
    }

    private interface Cell {
        String at(int row, int column);
    }

    /** A grid as plate software writes it: the corner, the column numbers, then a line per row letter. */
    private static void grid(StringBuilder out, String corner, int rows, int columns, Cell cell) {
        out.append(corner);
        for (int c = 1; c <= columns; c++) out.append(',').append(c);
        out.append('\n');
        for (int r = 0; r < rows; r++) {
            out.append((char) ('A' + r));
            for (int c = 1; c <= columns; c++) out.append(',').append(cell.at(r, c));
            out.append('\n');
        }
    }

    private static TableProfile.Column column(TableProfile t, String name) {
        return t.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private List<TableProfile> profile(String name) throws IOException, SQLException {
        var outcome = profiler.profile(name, volume.resolve(name), FileFormat.ofName(name));
        assertThat(outcome).isInstanceOf(FileOutcome.Tables.class);
        return ((FileOutcome.Tables) outcome).tables();
    }
}
