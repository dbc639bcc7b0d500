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

/**
 * The hypothesis test on real files read by the profile's DuckDB, each fixture made here with a known truth, and
 * its numbers checked against arithmetic done here (or R's published values).
 */
class ExperimentAnalysisTest {
    @TempDir Path volume;
    @TempDir Path scratch;
    private final List<String> log = new ArrayList<>();

    @Test
    void aLargeDifferenceInTheClaimedDirectionIsSupportedWithNumbersThatCheckByHand() throws Exception {
        // wt around 10, dlacZ around 6: fixed values, so every number can be recomputed here
        double[] wt = {10.2, 9.8, 10.5, 9.9, 10.1, 10.4};
        double[] dlacz = {6.1, 5.8, 6.4, 6.0, 5.7, 6.2};
        var csv = new StringBuilder("sample_id,strain,yield_g_per_l\n");
        for (int i = 0; i < 6; i++) csv.append("s").append(i).append(",wt,").append(wt[i]).append('\n');
        for (int i = 0; i < 6; i++) csv.append("s").append(i + 6).append(",dlacZ,").append(dlacz[i]).append('\n');
        Files.writeString(volume.resolve("yields.csv"), csv);

        var h = analyse("dlacZ gives a lower yield than wt");

        assertThat(h.verdict()).isEqualTo(Verdict.SUPPORTED);
        assertThat(h.groupColumn()).isEqualTo("strain");
        assertThat(h.groups()).containsExactly("dlacZ", "wt");
        assertThat(h.measure()).isEqualTo("yield_g_per_l");
        var c = (Comparison.TwoGroups) h.comparison();
        double m1 = ByHand.mean(dlacz), m2 = ByHand.mean(wt), v1 = ByHand.var(dlacz), v2 = ByHand.var(wt);
        double se2 = v1 / 6 + v2 / 6;
        assertThat(c.meanDifference()).isCloseTo(m1 - m2, within(1e-9));
        assertThat(c.t()).isCloseTo((m1 - m2) / Math.sqrt(se2), within(1e-9));
        assertThat(c.df()).isCloseTo(se2 * se2 / ((v1 / 6) * (v1 / 6) / 5 + (v2 / 6) * (v2 / 6) / 5), within(1e-9)); // Welch–Satterthwaite
        assertThat(c.pTwoSided()).isLessThan(1e-6);
        assertThat(h.groupSummaries().get(0).mean()).isCloseTo(m1, within(1e-12));
        assertThat(h.groupSummaries().get(1).sd()).isCloseTo(Math.sqrt(v2), within(1e-12));
        assertThat(h.conclusion()).startsWith("Supported: `dlacZ` is lower than `wt`").contains("p < 0.001");
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("One-sided test in the claimed direction"));
        assertThat(h.chart().points()).hasSize(12);
    }

    @Test
    void aReferenceNamedFirstIsStillTheReference() throws Exception {
        double[] wt = {10.2, 9.8, 10.5, 9.9, 10.1, 10.4};
        double[] dlacz = {6.1, 5.8, 6.4, 6.0, 5.7, 6.2};
        var csv = new StringBuilder("sample_id,strain,yield_g_per_l\n");
        for (int i = 0; i < 6; i++) csv.append("s").append(i).append(",wt,").append(wt[i]).append('\n');
        for (int i = 0; i < 6; i++) csv.append("s").append(i + 6).append(",dlacZ,").append(dlacz[i]).append('\n');
        Files.writeString(volume.resolve("yields.csv"), csv);

        var h = analyse("Compared to wt, dlacZ gives a lower yield");

        assertThat(h.groups()).containsExactly("dlacZ", "wt");
        assertThat(h.verdict()).isEqualTo(Verdict.SUPPORTED);
        assertThat(h.conclusion()).startsWith("Supported: `dlacZ` is lower than `wt`");
    }

    @Test
    void aReferenceNamedFirstAmongThreeStrainsIsTheOtherSideOfTheClaim() {
        var named = new ArrayList<>(List.of("wt", "dlacZ", "dptsG"));
        ColumnMatcher.referenceLast("Relative to the wt strain, dlacZ and dptsG grow slower", "slower", named);
        assertThat(named).containsExactly("dlacZ", "dptsG", "wt");
        var unchanged = new ArrayList<>(List.of("wt", "dlacZ", "dptsG"));
        ColumnMatcher.referenceLast("wt grows faster than dlacZ and dptsG", "faster", unchanged);
        assertThat(unchanged).containsExactly("wt", "dlacZ", "dptsG");
    }

    @Test
    void twoGroupsFromTheSameDistributionAreNotSupported() throws Exception {
        Files.writeString(volume.resolve("weights.csv"), """
                mouse,diet,weight
                m1,chow,24.1
                m2,chow,25.3
                m3,chow,23.8
                m4,chow,24.9
                m5,chow,25.0
                m6,hfd,24.6
                m7,hfd,23.9
                m8,hfd,25.2
                m9,hfd,24.4
                m10,hfd,24.8
                """);
        var h = analyse("Mice on hfd are heavier than mice on chow");
        assertThat(h.verdict()).isEqualTo(Verdict.NOT_SUPPORTED);
        assertThat(h.groups()).containsExactly("hfd", "chow");
        assertThat(h.measure()).isEqualTo("weight");
        assertThat(h.conclusion()).contains("not significant");
        assertThat(h.comparison().p()).isGreaterThan(0.05);
    }

    @Test
    void aDifferenceInTheOppositeDirectionIsNotSupportedAndSaysSo() throws Exception {
        Files.writeString(volume.resolve("expression.csv"), """
                condition,gfp
                control,100
                control,110
                control,95
                control,105
                induced,60
                induced,55
                induced,65
                induced,58
                """);
        var h = analyse("GFP expression is higher when induced than in the control");
        assertThat(h.verdict()).isEqualTo(Verdict.NOT_SUPPORTED);
        assertThat(h.groups()).containsExactly("induced", "control");
        assertThat(h.conclusion()).contains("in the other direction").contains("`induced` is lower than `control`, significantly");
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Small samples"));
    }

    @Test
    void threeGroupsAreComparedByAnovaAndKruskalWallis() throws Exception {
        var csv = new StringBuilder("group,weight\n");
        for (var e : Map.of("ctrl", GroupTestsTest.CTRL, "trt1", GroupTestsTest.TRT1, "trt2", GroupTestsTest.TRT2).entrySet())
            for (var v : e.getValue()) csv.append(e.getKey()).append(',').append(v).append('\n');
        Files.writeString(volume.resolve("PlantGrowth.csv"), csv);
        var h = analyse("Plant weight differs between ctrl, trt1 and trt2");
        assertThat(h.verdict()).isEqualTo(Verdict.SUPPORTED);
        var c = (Comparison.ManyGroups) h.comparison();
        assertThat(c.f()).isCloseTo(4.846, within(5e-4)); // R: summary(aov(weight ~ group, PlantGrowth))
        assertThat(c.kruskalWallisP()).isCloseTo(0.01842, within(5e-6));
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Multiple comparisons"));
        assertThat(h.conclusion()).contains("F(2, 27) = 4.85", "p = 0.0159");
    }

    /** wt and mutA from the same values shifted a little, mutB far lower; fixed, so every pair's numbers can be recomputed here. */
    private void threeStrains() throws Exception {
        var csv = new StringBuilder("culture,strain,yield_g_per_l\n");
        int i = 0;
        for (var v : WT) csv.append("c").append(++i).append(",wt,").append(v).append('\n');
        for (var v : MUT_A) csv.append("c").append(++i).append(",mutA,").append(v).append('\n');
        for (var v : MUT_B) csv.append("c").append(++i).append(",mutB,").append(v).append('\n');
        csv.append("c").append(++i).append(",blank,0.02\nc").append(++i).append(",blank,0.03\n");
        Files.writeString(volume.resolve("yields.csv"), csv);
    }

    private static final double[] WT = {10.2, 9.8, 10.5, 9.9, 10.1, 10.4};
    private static final double[] MUT_A = {10.0, 10.3, 9.7, 10.4, 9.9, 10.2};
    private static final double[] MUT_B = {6.1, 5.8, 6.4, 6.0, 5.7, 6.2};

    @Test
    void amongThreeStrainsTheVerdictRestsOnTheNamedPairNotOnTheOmnibusTest() throws Exception {
        threeStrains();
        var h = analyse("mutA gives a lower yield than wt");

        // mutB differs from both, so ANOVA is significant; the claim is about mutA and wt, which do not differ
        assertThat(h.groups()).containsExactly("mutA", "wt", "mutB");
        var c = (Comparison.ManyGroups) h.comparison();
        assertThat(c.anovaP()).isLessThan(1e-6);
        assertThat(c.claimedPairs()).extracting(x -> x.first() + "-" + x.second()).containsExactly("mutA-wt");
        assertThat(h.verdict()).isEqualTo(Verdict.NOT_SUPPORTED);
        assertThat(h.conclusion()).startsWith("Not supported: `mutA` is lower than `wt` as claimed, but the difference is not significant")
                .contains("Holm-adjusted over the 3 pairs of 3 groups");
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("The named pair (")
                .contains("disagree at 0.05: the verdict rests on the pair the hypothesis names"));

        // the pair's Welch test and Holm's adjustment by hand
        double m1 = ByHand.mean(MUT_A), m2 = ByHand.mean(WT), v1 = ByHand.var(MUT_A), v2 = ByHand.var(WT);
        double se = Math.sqrt(v1 / 6 + v2 / 6), t = (m1 - m2) / se;
        double df = Math.pow(se, 4) / (Math.pow(v1 / 6, 2) / 5 + Math.pow(v2 / 6, 2) / 5);
        double p = 2 * org.apache.commons.statistics.distribution.TDistribution.of(df).survivalProbability(Math.abs(t));
        var pair = c.claimedPairs().getFirst();
        assertThat(pair.meanDifference()).isCloseTo(m1 - m2, within(1e-12));
        assertThat(pair.t()).isCloseTo(t, within(1e-9));
        assertThat(pair.df()).isCloseTo(df, within(1e-9));
        assertThat(pair.p()).isCloseTo(p, within(1e-12));
        // the other two pairs have tiny p's, so this, the largest, is adjusted by a factor of 1
        assertThat(pair.holmP()).isCloseTo(p, within(1e-12));
        assertThat(c.pairs()).hasSize(3);
        assertThat(c.pairs().get(1).holmP()).isLessThan(0.001);
    }

    @Test
    void amongThreeStrainsANamedPairThatDiffersIsSupportedAndTheOtherDirectionIsNot() throws Exception {
        threeStrains();
        var h = analyse("mutB gives a lower yield than wt");
        assertThat(h.verdict()).isEqualTo(Verdict.SUPPORTED);
        assertThat(h.conclusion()).startsWith("Supported: `mutB` is lower than `wt` as claimed, and significantly so");
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Controls left out of the comparison: `blank` (2 cultures) of `strain`"));
        assertThat(h.groupSummaries()).extracting(GroupSummary::group).containsExactly("mutB", "wt", "mutA");

        var reversed = analyse("wt gives a lower yield than mutB");
        assertThat(reversed.verdict()).isEqualTo(Verdict.NOT_SUPPORTED);
        assertThat(reversed.conclusion()).contains("in the other direction (`wt` is higher than `mutB`, significantly)");

        var md = new StringBuilder();
        HypothesisMarkdown.render(md, h);
        assertThat(md).contains("**Pairs** (every pair by Welch's t-test", "| **`mutB` − `wt`** |", "| `wt` − `mutA` |", "| p (Holm) |");
    }

    @Test
    void aClaimAgainstTwoNamedStrainsHoldsOnlyIfItHoldsAgainstEach() throws Exception {
        threeStrains();
        var h = analyse("mutB gives a lower yield than wt and mutA");
        assertThat(h.groups()).containsExactly("mutB", "wt", "mutA");
        var c = (Comparison.ManyGroups) h.comparison();
        assertThat(c.claimedPairs()).extracting(x -> x.first() + "-" + x.second()).containsExactly("mutB-wt", "mutB-mutA");
        assertThat(h.verdict()).isEqualTo(Verdict.SUPPORTED);
        assertThat(h.conclusion()).startsWith("Supported: each of the 2 pairs the hypothesis names differs in the claimed direction (lower than)");
        var md = new StringBuilder();
        HypothesisMarkdown.render(md, h);
        assertThat(md).contains("Read as: each group named before \"lower\" is lower than each named after it: `mutB` vs `wt`, `mutB` vs `mutA`.");

        // wt is higher than mutB but not significantly higher than mutA: the claim fails on that pair
        var wt = analyse("wt gives a higher yield than mutA and mutB");
        assertThat(wt.verdict()).isEqualTo(Verdict.NOT_SUPPORTED);
        assertThat(((Comparison.ManyGroups) wt.comparison()).claimedPairs()).extracting(x -> x.first() + "-" + x.second()).containsExactly("wt-mutA", "wt-mutB");
        assertThat(wt.conclusion()).startsWith("Not supported: `wt` is higher than `mutA` as claimed, but not significantly (two-sided, Holm-adjusted over all 3 pairs)");
    }

    @Test
    void twoStrainsThatDoNotVaryHaveNoTestBetweenThemAndTheReportSaysSoInValidJson() throws Exception {
        Files.writeString(volume.resolve("scores.csv"), "strain,score\nwt,10\nwt,10\nwt,10\nmutA,9\nmutA,9\nmutA,9\nmutB,6.1\nmutB,5.8\nmutB,6.4\n");
        var named = analyse("mutA has a lower score than wt");
        assertThat(named.verdict()).isEqualTo(Verdict.CANNOT_BE_TESTED);
        assertThat(named.conclusion()).isEqualTo("Cannot be tested: the values do not vary within `mutA` and `wt` (both sd 0), so no test applies to the pair the hypothesis names.");

        var other = analyse("mutB has a lower score than wt");
        assertThat(other.verdict()).isEqualTo(Verdict.SUPPORTED);
        var c = (Comparison.ManyGroups) other.comparison();
        assertThat(c.pairs().get(2).holmP()).isNaN(); // wt − mutA: no Welch test, and not counted among Holm's tests
        var json = dev.labdesk.model.Json.newMapper().writeValueAsString(other);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).at("/comparison/pairs/2/t").asText()).isEqualTo("NaN");
        var md = new StringBuilder();
        HypothesisMarkdown.render(md, other);
        assertThat(md).contains("| `wt` − `mutA` | 1.00 | – to – | – | – | – |"); // in the decimals of the column's other differences (-3.90, -2.90)
    }

    @Test
    void aThirdStrainWithOneCultureIsLeftOutAndDoesNotStopTheNamedPairFromBeingTested() throws Exception {
        threeStrains();
        Files.writeString(volume.resolve("yields.csv"), Files.readString(volume.resolve("yields.csv")) + "c99,mutC,7.5\n");
        var h = analyse("mutB gives a lower yield than wt");
        assertThat(h.verdict()).isEqualTo(Verdict.SUPPORTED);
        assertThat(h.groups()).containsExactly("mutB", "wt", "mutA");
        assertThat(((Comparison.ManyGroups) h.comparison()).pairs()).hasSize(3);
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).isEqualTo(
                "Left out of the comparison: `mutC` (n = 1), too few observations to estimate a spread; the hypothesis does not name it."));
    }

    @Test
    void aSecondFactorThatVariesWithinTheGroupsIsSaidToBePooledUnlessTheTextNamesOneOfItsValues() throws Exception {
        Files.writeString(volume.resolve("yields.csv"), """
                strain,medium,yield
                wt,LB,10.1
                wt,LB,9.9
                wt,M9,4.2
                wt,M9,4.0
                dlacZ,LB,8.1
                dlacZ,LB,7.9
                dlacZ,M9,3.9
                dlacZ,M9,4.1
                """);
        var h = analyse("dlacZ gives a lower yield than wt");
        assertThat(h.groups()).containsExactly("dlacZ", "wt");
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Pooled over `medium`: it takes 2 values (`LB` and `M9`) within the compared groups"));
        assertThat(h.groupSummaries().get(1).mean()).isCloseTo((10.1 + 9.9 + 4.2 + 4.0) / 4, within(1e-12));

        // naming one medium tests within it
        var lb = analyse("In LB, dlacZ gives a lower yield than wt");
        assertThat(lb.matches()).anySatisfy(m -> assertThat(m).isEqualTo(new Match("within", "medium", "the text names its value `LB`: only those rows are compared")));
        assertThat(lb.groupSummaries()).extracting(GroupSummary::n).containsExactly(2, 2);
        assertThat(lb.groupSummaries().get(0).mean()).isCloseTo(8.0, within(1e-12));
        assertThat(lb.groupSummaries().get(1).mean()).isCloseTo(10.0, within(1e-12));
        assertThat(lb.caveats()).noneSatisfy(x -> assertThat(x).startsWith("Pooled over"));
    }

    @Test
    void aHypothesisNamingNoColumnCannotBeTestedAndSaysWhy() throws Exception {
        Files.writeString(volume.resolve("growth.csv"), "strain,od600\nwt,0.5\nwt,0.6\ndlacZ,0.3\ndlacZ,0.35\n");
        var h = analyse("The new incubator works better");
        assertThat(h.verdict()).isEqualTo(Verdict.CANNOT_BE_TESTED);
        assertThat(h.conclusion()).contains("no grouping column was found").contains("`strain` in `growth.csv` (dlacZ, wt)");
        assertThat(h.comparison()).isNull();
    }

    @Test
    void aSingleCurvePerGroupCannotBeTestedAsRepeatedMeasures() throws Exception {
        Files.writeString(volume.resolve("growth.csv"), "strain,time_h,od600\nwt,0,0.1\nwt,1,0.2\nwt,2,0.4\ndlacZ,0,0.1\ndlacZ,1,0.15\ndlacZ,2,0.2\n");
        var h = analyse("dlacZ grows slower than wt");
        assertThat(h.verdict()).isEqualTo(Verdict.CANNOT_BE_TESTED);
        assertThat(h.conclusion()).contains("single curve").contains("n = 1");
    }

    @Test
    void aWidePlateExportWithALayoutIsComparedByPerWellArea() throws Exception {
        var plate = PlateFixture.growthCurves(42);
        plate.writeCsv(volume.resolve("plate_reader_export.csv"));
        plate.writeLayout(volume.resolve("layout.csv"));
        var h = analyse("dlacZ grows slower than wt");

        assertThat(h.verdict()).as(h.conclusion()).isEqualTo(Verdict.SUPPORTED);
        assertThat(h.table()).isEqualTo("plate_reader_export.csv + layout.csv");
        assertThat(h.measure()).isEqualTo("od");
        assertThat(h.timeColumn()).isEqualTo("Time");
        assertThat(h.replicateColumn()).isEqualTo("well");
        assertThat(h.groups()).containsExactly("dlacZ", "wt");
        for (var g : List.of("dlacZ", "wt")) {
            var areas = plate.wellsOf(g).stream().mapToDouble(plate::area).toArray();
            var s = h.groupSummaries().stream().filter(x -> x.group().equals(g)).findFirst().orElseThrow();
            assertThat(s.n()).isEqualTo(6);
            assertThat(s.mean()).isCloseTo(ByHand.mean(areas), within(1e-9));
            assertThat(s.sd()).isCloseTo(Math.sqrt(ByHand.var(areas)), within(1e-9));
        }
        assertThat(h.chart().points()).filteredOn(p -> p.replicate().equals("A1")).singleElement()
                .satisfies(p -> assertThat(p.value()).isCloseTo(plate.area("A1"), within(1e-9)));
        assertThat(h.chart().curves()).hasSize(2 * 49);
        assertThat(h.tablesLookedAt()).anySatisfy(t -> assertThat(t).contains("96 well columns melted", "15 of 96 wells mapped"));
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Repeated measures"));
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Readings were not blank-corrected (the strain has `medium`)"));
        assertThat(h.figures()).extracting(f -> f.name()).containsExactly(HypothesisFigures.GROUPS, HypothesisFigures.CURVES);
        for (var f : h.figures()) assertThat(volume.resolve("results").resolve(f.png())).isNotEmptyFile();
    }

    @Test
    void theXlsxExportIsReadAsTheCsvIs() throws Exception {
        var plate = PlateFixture.growthCurves(3);
        plate.writeXlsx(volume.resolve("export.xlsx"));
        plate.writeLayout(volume.resolve("layout.csv"));
        var h = analyse("dlacZ grows slower than wt");
        assertThat(h.verdict()).as(h.conclusion() + " | " + h.tablesLookedAt() + " | " + log).isEqualTo(Verdict.SUPPORTED);
        assertThat(h.table()).isEqualTo("export.xlsx#Plate 1 - OD600 + layout.csv");
        var s = h.groupSummaries().getFirst();
        assertThat(s.mean()).isCloseTo(ByHand.mean(plate.wellsOf("dlacZ").stream().mapToDouble(plate::area).toArray()), within(1e-9));
    }

    @Test
    void whenTwoTablesHoldTheColumnsTheReportSaysWhichWasUsedAndWhy() throws Exception {
        Files.writeString(volume.resolve("run1.csv"), "strain,od600\nwt,0.5\nwt,0.6\nwt,0.55\ndlacZ,0.3\ndlacZ,0.35\ndlacZ,0.32\n");
        Files.writeString(volume.resolve("run2.csv"), "strain,replicate,time_h,od600\nwt,r1,0,0.1\nwt,r1,1,0.3\nwt,r2,0,0.1\nwt,r2,1,0.32\n"
                + "dlacZ,r3,0,0.1\ndlacZ,r3,1,0.2\ndlacZ,r4,0,0.1\ndlacZ,r4,1,0.21\n");
        var h = analyse("dlacZ grows slower than wt");
        assertThat(h.table()).isEqualTo("run2.csv"); // it also has time: the growth over time is what "grows" asks about
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Other tables also hold columns the text refers to (`run1.csv`); `run2.csv` was used"));
        // two replicates per strain, areas by hand: wt (0.1+0.3)/2 = 0.2 and (0.1+0.32)/2 = 0.21; dlacZ 0.15 and 0.155
        assertThat(h.groupSummaries().get(0).mean()).isCloseTo((0.15 + 0.155) / 2, within(1e-12));
        assertThat(h.groupSummaries().get(1).mean()).isCloseTo((0.2 + 0.21) / 2, within(1e-12));
        assertThat(h.tablesLookedAt()).hasSize(2);
    }

    @Test
    void goalsWithoutAHypothesisAreDescribedNotJudged() throws Exception {
        Files.writeString(volume.resolve("growth.csv"), "strain,od600\nwt,0.5\nwt,0.6\ndlacZ,0.3\ndlacZ,0.35\n");
        var report = analyse(new ExperimentContext("e", null, "Compare growth of wt and dlacZ", null, null, null, null));
        assertThat(report.verdict()).isEqualTo(Verdict.NO_HYPOTHESIS);
        assertThat(report.comparison()).isNull();
        assertThat(report.groups()).containsExactly("wt", "dlacZ");
        assertThat(report.measure()).isEqualTo("od600");
        assertThat(report.groupSummaries().get(0).mean()).isCloseTo(0.55, within(1e-12));
        assertThat(report.groupSummaries().get(1).mean()).isCloseTo(0.325, within(1e-12));
    }

    @Test
    void theGroupTableShowsEachColumnToOneNumberOfDecimalsAWholeMeanIncluded() throws Exception {
        Files.writeString(volume.resolve("scores.csv"), "strain,score\nwt,5\nwt,4\nwt,6\nmut,4.5\nmut,4.7\nmut,4.8\n");
        var md = new StringBuilder();
        HypothesisMarkdown.render(md, analyse("mut has a lower score than wt"));
        // by hand: mut mean 4.6667, sd 0.15275, median 4.7, 95 % CI ± qt(0.975, 2) · sd / √3; wt mean 5, sd 1, median 5
        // the wt row was "| 5 | 1 | 5 |" beside "4.67": its mean now reads as the same kind of number
        assertThat(md).contains("| mut | 3 | 4.67 | 0.153 | 4.70 | 4.29 to 5.05 |", "| wt | 3 | 5.00 | 1.000 | 5.00 | 2.52 to 7.48 |");
    }

    private HypothesisReport analyse(String hypothesis) throws Exception {
        return analyse(new ExperimentContext("experiment", null, null, hypothesis, null, null, null));
    }

    private HypothesisReport analyse(ExperimentContext context) throws Exception {
        return Analysed.hypothesis(volume, scratch, context, log);
    }
}
