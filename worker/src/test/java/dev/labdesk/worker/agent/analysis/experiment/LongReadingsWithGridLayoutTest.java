package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.model.ExperimentContext;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.FDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Readings already long ({@code well,time_h,od600}, a row per well and read) beside the plate's layout — drawn as stacked
 * plate grids, or as a long {@code well,strain} map — are joined to the layout as a wide export is once melted: the
 * three strains are compared by their wells' areas under the curve, every number recomputed here from the generator's
 * own readings, and the verdict is the one the same plate gets as a wide export.
 */
class LongReadingsWithGridLayoutTest {
    private static final String HYPOTHESIS = "wt grows faster than dlacZ and dptsG";

    @TempDir Path volume;
    @TempDir Path wide;
    @TempDir Path scratch;
    private final List<String> log = new ArrayList<>();

    private HypothesisReport analyse(Path dir) throws Exception {
        return Analysed.hypothesis(dir, scratch, new ExperimentContext("lacZ and ptsG knockouts", "OD600 every 30 min, 30 °C, LB",
                null, HYPOTHESIS, null, List.of(), Map.of()), log);
    }

    @Test
    void longReadingsWithTheLayoutGridsCompareTheThreeStrainsByHandCheckedNumbers() throws Exception {
        var e = GrowthExperiment.seeded(11);
        e.writeLayoutCsv(volume.resolve("layout.csv"));
        e.writeLongReadings(volume.resolve("readings.csv"));
        var h = analyse(volume);

        assertThat(h.table()).as(h.conclusion() + " | " + h.tablesLookedAt() + " | " + log).isEqualTo("readings.csv + layout.csv");
        assertThat(h.tablesLookedAt()).anySatisfy(t -> assertThat(t).contains("long readings: `well` names the well of each of 2400 rows (96 wells)",
                "joined with layout.csv on its column `well`: 28 of 96 wells mapped (the others are not in the map and are left out)"));
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Controls left out of the comparison: `blank` (4 wells)"));
        assertComparedByHand(e, h);
        assertThat(h.chart().points()).hasSize(24);
        assertThat(h.chart().points()).filteredOn(p -> p.replicate().equals("A1")).singleElement()
                .satisfies(p -> assertThat(p.value()).isCloseTo(e.area("A1"), within(1e-9)));
        assertThat(h.figures()).extracting(f -> f.name()).containsExactly(HypothesisFigures.GROUPS, HypothesisFigures.CURVES);
        for (var f : h.figures()) assertThat(volume.resolve("results").resolve(f.png())).isNotEmptyFile();

        // the same plate as the reader's wide export gets the same test and the same verdict on the same numbers
        e.writeLayoutCsv(wide.resolve("layout.csv"));
        e.writeExport(wide.resolve("export.csv"));
        var w = analyse(wide);
        assertThat(w.table()).isEqualTo("export.csv + layout.csv");
        assertThat(h.verdict()).isEqualTo(w.verdict());
        assertThat(h.groups()).isEqualTo(w.groups());
        var lc = (Comparison.ManyGroups) h.comparison();
        var wc = (Comparison.ManyGroups) w.comparison();
        assertThat(lc.f()).isCloseTo(wc.f(), within(1e-9 * wc.f()));
        assertThat(lc.p()).isCloseTo(wc.p(), within(1e-12));
    }

    @Test
    void aLongStrainMapJoinsTheLongReadingsAsTheGridsDo() throws Exception {
        var e = GrowthExperiment.seeded(29);
        e.writeStrainMap(volume.resolve("strains.csv"));
        e.writeLongReadings(volume.resolve("readings.csv"));
        var h = analyse(volume);

        assertThat(h.table()).as(h.conclusion() + " | " + h.tablesLookedAt() + " | " + log).isEqualTo("readings.csv + strains.csv");
        assertThat(h.tablesLookedAt()).anySatisfy(t -> assertThat(t).contains("joined with strains.csv on its column `well`: 28 of 96 wells mapped"));
        assertThat(h.groupColumn()).isEqualTo("strain");
        assertComparedByHand(e, h);
    }

    @Test
    void wellsWrittenA01OrInLowerCaseAreTheMapsWellsAndAWellTheMapLacksIsLeftOutAndSaidSo() throws Exception {
        Files.writeString(volume.resolve("readings.csv"), """
                Well,Time (h),OD600
                A01,0,0.10
                A02,0,0.10
                B01,0,0.10
                B02,0,0.10
                C01,0,0.05
                A01,1,0.30
                A02,1,0.34
                B01,1,0.20
                B02,1,0.21
                C01,1,0.05
                A01,2,0.50
                A02,2,0.56
                B01,2,0.30
                B02,2,0.33
                C01,2,0.05
                """);
        Files.writeString(volume.resolve("strains.csv"), "well,strain\na1,wt\nA2,wt\nb1,dlacZ\nB02,dlacZ\n");
        var h = Analysed.hypothesis(volume, scratch, new ExperimentContext("e", null, null, "dlacZ grows slower than wt", null, List.of(), Map.of()), log);

        assertThat(h.table()).as(h.conclusion() + " | " + h.tablesLookedAt() + " | " + log).isEqualTo("readings.csv + strains.csv");
        assertThat(h.tablesLookedAt()).anySatisfy(t -> assertThat(t).contains("long readings: `Well` names the well of each of 15 rows (5 wells)",
                "joined with strains.csv on its column `well`: 4 of 5 wells mapped (the others are not in the map and are left out)"));
        // areas by hand (trapezoid over 0, 1, 2 h): wt A1 0.2 + 0.4 = 0.6, A2 0.22 + 0.45 = 0.67; dlacZ B1 0.15 + 0.25 = 0.4, B2 0.155 + 0.27 = 0.425
        assertThat(h.groups()).containsExactly("dlacZ", "wt");
        assertThat(h.groupSummaries()).extracting(GroupSummary::n).containsExactly(2, 2);
        assertThat(h.groupSummaries().get(0).mean()).isCloseTo((0.4 + 0.425) / 2, within(1e-12));
        assertThat(h.groupSummaries().get(1).mean()).isCloseTo((0.6 + 0.67) / 2, within(1e-12));
        var c = (Comparison.TwoGroups) h.comparison();
        double se = Math.sqrt(var(new double[] {0.4, 0.425}) / 2 + var(new double[] {0.6, 0.67}) / 2);
        assertThat(c.t()).isCloseTo(((0.4 + 0.425) / 2 - (0.6 + 0.67) / 2) / se, within(1e-9));
    }

    @Test
    void longReadingsWithoutAMapStillCannotBeTestedAndSayWhy() throws Exception {
        GrowthExperiment.seeded(11).writeLongReadings(volume.resolve("readings.csv"));
        var h = analyse(volume);

        // no map: the readings are not joined to anything, and without strains there is nothing to compare
        assertThat(h.verdict()).isEqualTo(Verdict.CANNOT_BE_TESTED);
        assertThat(h.conclusion()).isEqualTo("Cannot be tested with these columns: no grouping column was found: the text names no two values of one"
                + " column (nor a column's name), and no table has a column of a few categories.");
        assertThat(h.tablesLookedAt()).containsExactly("`readings.csv` (2400 rows): time `time_h`, replicate `well`, measure `od600`");
        assertThat(h.comparison()).isNull();
    }

    @Test
    void aTableOfReadingsWithOneRowPerWellIsNotTakenForTheMap() throws Exception {
        var e = GrowthExperiment.seeded(11);
        e.writeExport(volume.resolve("export.csv"));
        // end-point reads, one row per well, listed before the map: its well column is unique, but it holds a measure
        var endpoint = new StringBuilder("well,od600\n");
        for (var w : PlateFixture.WELLS) endpoint.append(w).append(',').append(e.readings().get(w)[24]).append('\n');
        Files.writeString(volume.resolve("endpoint.csv"), endpoint.toString());
        e.writeStrainMap(volume.resolve("strains.csv"));
        var h = analyse(volume);

        assertThat(h.table()).as(h.conclusion() + " | " + h.tablesLookedAt() + " | " + log).isEqualTo("export.csv + strains.csv");
        assertThat(h.tablesLookedAt()).anySatisfy(t -> assertThat(t).contains("96 well columns melted", "joined with strains.csv on its column `well`: 28 of 96 wells mapped"));
        assertThat(h.groupSummaries()).extracting(GroupSummary::n).containsExactly(8, 8, 8);
    }

    /** Three strains of 8 wells each, each well one area under its curve: the groups' numbers, ANOVA, Kruskal–Wallis and the claimed pairs by hand. */
    private static void assertComparedByHand(GrowthExperiment e, HypothesisReport h) {
        assertThat(h.groups()).containsExactly("wt", "dlacZ", "dptsG");
        assertThat(h.measure()).isEqualTo("od600");
        assertThat(h.timeColumn()).isEqualTo("time_h");
        assertThat(h.replicateColumn()).isEqualTo("well");
        var areas = h.groups().stream().map(e::areas).toList();
        for (int g = 0; g < 3; g++) {
            var s = h.groupSummaries().get(g);
            assertThat(s.group()).isEqualTo(h.groups().get(g));
            assertThat(s.n()).isEqualTo(8);
            assertThat(s.mean()).isCloseTo(mean(areas.get(g)), within(1e-9));
            assertThat(s.sd()).isCloseTo(Math.sqrt(var(areas.get(g))), within(1e-9));
        }

        // one-way ANOVA by its sums of squares; Kruskal–Wallis by ranks counted here (24 continuous areas, no ties)
        var c = (Comparison.ManyGroups) h.comparison();
        var anova = ByHand.anova(areas);
        double f = anova.f();
        assertThat(c.dfBetween()).isEqualTo(2);
        assertThat(c.dfWithin()).isEqualTo(21);
        assertThat(c.f()).isCloseTo(f, within(1e-9 * f));
        assertThat(c.anovaP()).isCloseTo(FDistribution.of(2, 21).survivalProbability(f), within(1e-12));
        assertThat(Arrays.stream(ByHand.all(areas)).distinct().count()).isEqualTo(24);
        double kw = ByHand.kruskalWallis(areas);
        assertThat(c.kruskalWallisH()).isCloseTo(kw, within(1e-9));
        assertThat(c.kruskalWallisP()).isCloseTo(ChiSquaredDistribution.of(2).survivalProbability(kw), within(1e-12));

        // the claim is wt against each knockout: Welch's t of both pairs by hand, Holm over the three pairs
        assertThat(c.claimedPairs()).extracting(p -> p.first() + "-" + p.second()).containsExactly("wt-dlacZ", "wt-dptsG");
        double[] welch = new double[3];
        int[][] order = {{0, 1}, {0, 2}, {1, 2}};
        for (int k = 0; k < 3; k++) {
            double[] x = areas.get(order[k][0]), y = areas.get(order[k][1]);
            double se = Math.sqrt(var(x) / 8 + var(y) / 8), t = (mean(x) - mean(y)) / se;
            double df = Math.pow(se, 4) / (Math.pow(var(x) / 8, 2) / 7 + Math.pow(var(y) / 8, 2) / 7);
            welch[k] = 2 * TDistribution.of(df).survivalProbability(Math.abs(t));
            var p = c.pairs().get(k);
            assertThat(p.meanDifference()).isCloseTo(mean(x) - mean(y), within(1e-9));
            assertThat(p.t()).isCloseTo(t, within(1e-9));
            assertThat(p.p()).isCloseTo(welch[k], within(1e-12));
        }
        var holm = ByHand.holm(welch);
        for (int k = 0; k < 3; k++) assertThat(c.pairs().get(k).holmP()).isCloseTo(holm[k], within(1e-12));
        // the verdict rests on the weaker claimed pair: supported only if both are higher for wt and significant after Holm
        double verdictP = Math.max(c.pairs().get(0).holmP(), c.pairs().get(1).holmP());
        assertThat(c.p()).isEqualTo(verdictP);
        boolean both = c.pairs().get(0).meanDifference() > 0 && c.pairs().get(1).meanDifference() > 0 && verdictP < 0.05;
        assertThat(h.verdict()).as(h.conclusion()).isEqualTo(both ? Verdict.SUPPORTED : Verdict.NOT_SUPPORTED);
    }

    private static double mean(double[] v) {
        return ByHand.mean(v);
    }

    private static double var(double[] v) {
        return ByHand.var(v);
    }
}
