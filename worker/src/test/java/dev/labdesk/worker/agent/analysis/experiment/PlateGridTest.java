package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.model.ExperimentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Plate layouts drawn as the plate (rows A–H, columns 1–12), in one block or one block per factor, from CSV and from a workbook sheet. */
class PlateGridTest {
    @TempDir Path dir;
    @TempDir Path scratch;

    @Test
    void aSingleBlockWithItsTitleInTheCornerIsReadWellByWellAndEmptyCellsAreNoWell() throws Exception {
        var file = dir.resolve("layout.csv");
        var lines = new StringBuilder("Strain,1,2,3,4,5,6,7,8,9,10,11,12\n");
        for (char r = 'A'; r <= 'H'; r++) {
            lines.append(r);
            for (int c = 1; c <= 12; c++) lines.append(',').append(r == 'A' && c <= 3 ? "wt" : r == 'B' && c <= 3 ? " dlacZ " : r == 'H' && c == 12 ? "empty" : "");
            lines.append('\n');
        }
        Files.writeString(file, lines);
        var grid = PlateGrid.read(file, ',').orElseThrow();
        assertThat(grid.factors()).containsExactly("Strain");
        assertThat(grid.wells().keySet()).containsExactly("A1", "A2", "A3", "B1", "B2", "B3", "H12");
        assertThat(grid.wells().get("B2")).containsExactly(Map.entry("Strain", "dlacZ"));
    }

    @Test
    void blocksUnderTitleLinesAreOneFactorEachInPlateOrder() throws Exception {
        var file = dir.resolve("layout.csv");
        Files.writeString(file, """
                Plate layout,,,,
                ,,,,
                Strain:,,,,
                <>,1,2,3,4
                A,wt,wt,dlacZ,dlacZ
                B,wt,wt,dlacZ,
                ,,,,
                Condition,,,,
                <>,1,2,3,4
                A,LB,M9,LB,M9
                B,LB,M9,LB,blank
                """);
        var grid = PlateGrid.read(file, ',').orElseThrow();
        assertThat(grid.factors()).containsExactly("Strain", "Condition");
        assertThat(grid.wells().keySet()).containsExactly("A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4");
        assertThat(grid.wells().get("A4")).containsExactly(Map.entry("Strain", "dlacZ"), Map.entry("Condition", "M9"));
        assertThat(grid.wells().get("B4")).containsExactly(Map.entry("Condition", "blank"));
    }

    @Test
    void aGridOfNumbersIsAReadingNotALayoutAndALongTableIsNoGrid() throws Exception {
        var numbers = dir.resolve("endpoint.csv");
        Files.writeString(numbers, ",1,2,3,4\nA,0.51,0.49,0.33,0.31\nB,0.50,0.52,0.30,0.32\n");
        assertThat(PlateGrid.read(numbers, ',')).isEmpty();
        var longLayout = dir.resolve("layout.csv");
        Files.writeString(longLayout, "well,strain\nA1,wt\nA2,wt\nB1,dlacZ\n");
        assertThat(PlateGrid.read(longLayout, ',')).isEmpty();
    }

    @Test
    void aGridLayoutOnAWorkbookSheetIsJoinedToThePlateAsTheCsvIs() throws Exception {
        var e = GrowthExperiment.seeded(5);
        e.writeExport(dir.resolve("export.csv"));
        e.writeLayoutXlsx(dir.resolve("plate layout.xlsx"));
        var log = new ArrayList<String>();
        var h = Analysed.hypothesis(dir, scratch, new ExperimentContext("e", null, null, "dlacZ grows slower than wt", null, List.of(), Map.of()), log);

        assertThat(h.table()).as(h.tablesLookedAt() + " " + log).isEqualTo("export.csv + plate layout.xlsx#Layout");
        assertThat(h.groupColumn()).isEqualTo("Strain");
        assertThat(h.groups()).containsExactly("dlacZ", "wt", "dptsG");
        for (var s : h.groupSummaries()) {
            assertThat(s.n()).isEqualTo(8);
            assertThat(s.mean()).isCloseTo(ByHand.mean(e.areas(s.group())), within(1e-9));
        }
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Controls left out of the comparison: `blank` (4 wells)"));
    }
}
