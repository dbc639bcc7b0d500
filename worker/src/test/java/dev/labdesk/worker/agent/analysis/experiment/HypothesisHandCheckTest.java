package dev.labdesk.worker.agent.analysis.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.FDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.DoubleStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A data scientist checking the Hypothesis section by hand: a three-strain plate (96 wells × 25 reads, the layout
 * drawn as a plate grid with blanks) and a flask growth table, "dlacZ grows slower than wt". Every number the section
 * shows is recomputed here from the written readings — areas by the trapezoid rule, the groups' numbers, ANOVA,
 * Kruskal–Wallis, every pair's Welch and Dunn test and Holm's adjustment — with plain arithmetic (distributions from
 * Commons Statistics), and the areas and group numbers once more by pandas in a real Python process.
 */
class HypothesisHandCheckTest {
    private static final String EXPORT = "2026-12-01 OD600 kinetic.csv", LAYOUT = "plate layout.csv";

    @TempDir Path volume;
    @TempDir Path scratch;
    private final List<String> log = new ArrayList<>();

    private HypothesisReport analyse(GrowthExperiment e) throws Exception {
        e.writeExport(volume.resolve(EXPORT));
        e.writeLayoutCsv(volume.resolve(LAYOUT));
        e.writeFlaskTable(volume.resolve("flask growth.csv"), 5);
        return Analysed.hypothesis(volume, scratch, new ExperimentContext("lacZ and ptsG knockouts", "OD600 every 30 min, 30 °C, LB",
                "Does deleting lacZ cost growth in LB?", "dlacZ grows slower than wt", null, List.of(), java.util.Map.of()), log);
    }

    @Test
    void everyNumberOfTheThreeStrainPlateChecksByHandAndTheVerdictIsOnTheNamedPair() throws Exception {
        var e = GrowthExperiment.seeded(11);
        var h = analyse(e);

        // what was tested: one area per well (n = wells, not wells × reads), the blanks and empty wells left out and said so
        assertThat(h.verdict()).as(h.conclusion() + " | " + h.tablesLookedAt()).isEqualTo(Verdict.SUPPORTED);
        assertThat(h.table()).isEqualTo(EXPORT + " + " + LAYOUT);
        assertThat(h.groupColumn()).isEqualTo("Strain");
        assertThat(h.groups()).containsExactly("dlacZ", "wt", "dptsG");
        assertThat(h.replicateColumn()).isEqualTo("well");
        assertThat(h.timeColumn()).isEqualTo("Time");
        assertThat(h.unit()).contains("one number per replicate", "Time 0 to 12, time in hours"); // time points as they are, not "12.0"
        assertThat(h.chart().points()).hasSize(24);
        assertThat(h.tablesLookedAt()).anySatisfy(t -> assertThat(t).contains("plate-grid layout: 2 blocks (`Strain`, `Medium`) read as a well map of 28 wells"));
        assertThat(h.tablesLookedAt()).anySatisfy(t -> assertThat(t).contains("96 well columns melted", "28 of 96 wells mapped"));
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).isEqualTo(
                "Controls left out of the comparison: `blank` (4 wells) of `Strain` name blank or medium-only samples, not a group."));
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Other tables also hold columns the text refers to (`flask growth.csv`)"));
        assertThat(h.caveats()).anySatisfy(x -> assertThat(x).startsWith("Repeated measures"));

        // each strain's areas, by hand from the readings as written
        var names = h.groups();
        var areas = names.stream().map(e::areas).toList();
        for (int g = 0; g < 3; g++) {
            var a = areas.get(g);
            var s = h.groupSummaries().get(g);
            assertThat(s.group()).isEqualTo(names.get(g));
            assertThat(s.n()).isEqualTo(8);
            double mean = mean(a), sd = Math.sqrt(var(a));
            assertThat(s.mean()).isCloseTo(mean, within(1e-9));
            assertThat(s.sd()).isCloseTo(sd, within(1e-9));
            var sorted = a.clone();
            Arrays.sort(sorted);
            assertThat(s.median()).isCloseTo((sorted[3] + sorted[4]) / 2, within(1e-9));
            double half = TDistribution.of(7).inverseSurvivalProbability(0.025) * sd / Math.sqrt(8);
            assertThat(s.ciLow()).isCloseTo(mean - half, within(1e-9));
            assertThat(s.ciHigh()).isCloseTo(mean + half, within(1e-9));
        }

        // ANOVA by its sums of squares, Kruskal–Wallis by ranks counted here (no ties among 24 continuous areas)
        var c = (Comparison.ManyGroups) h.comparison();
        var anova = ByHand.anova(areas);
        double f = anova.f();
        assertThat(c.dfBetween()).isEqualTo(2);
        assertThat(c.dfWithin()).isEqualTo(21);
        assertThat(anova.dfWithin()).isEqualTo(21);
        assertThat(c.f()).isCloseTo(f, within(1e-9 * f));
        assertThat(c.anovaP()).isCloseTo(FDistribution.of(2, 21).survivalProbability(f), within(1e-12));
        assertThat(c.etaSquared()).isCloseTo(anova.ssBetween() / (anova.ssBetween() + anova.ssWithin()), within(1e-12));
        assertThat(Arrays.stream(ByHand.all(areas)).distinct().count()).isEqualTo(24);
        double[] meanRank = ByHand.meanRanks(areas);
        double kw = ByHand.kruskalWallis(areas);
        assertThat(c.kruskalWallisH()).isCloseTo(kw, within(1e-9));
        assertThat(c.kruskalWallisP()).isCloseTo(ChiSquaredDistribution.of(2).survivalProbability(kw), within(1e-12));

        // every pair: Welch and Dunn by hand, then Holm over the three
        int[][] order = {{0, 1}, {0, 2}, {1, 2}};
        double[] welchP = new double[3], dunnP = new double[3];
        for (int k = 0; k < 3; k++) {
            double[] x = areas.get(order[k][0]), y = areas.get(order[k][1]);
            var p = c.pairs().get(k);
            assertThat(p.first() + "-" + p.second()).isEqualTo(names.get(order[k][0]) + "-" + names.get(order[k][1]));
            double se = Math.sqrt(var(x) / 8 + var(y) / 8), t = (mean(x) - mean(y)) / se;
            double df = Math.pow(se, 4) / (Math.pow(var(x) / 8, 2) / 7 + Math.pow(var(y) / 8, 2) / 7);
            welchP[k] = 2 * TDistribution.of(df).survivalProbability(Math.abs(t));
            double half = TDistribution.of(df).inverseSurvivalProbability(0.025) * se;
            assertThat(p.meanDifference()).isCloseTo(mean(x) - mean(y), within(1e-9));
            assertThat(p.differenceCiLow()).isCloseTo(mean(x) - mean(y) - half, within(1e-9));
            assertThat(p.differenceCiHigh()).isCloseTo(mean(x) - mean(y) + half, within(1e-9));
            assertThat(p.t()).isCloseTo(t, within(1e-9));
            assertThat(p.df()).isCloseTo(df, within(1e-9));
            assertThat(p.p()).isCloseTo(welchP[k], within(1e-12));
            double z = (meanRank[order[k][0]] - meanRank[order[k][1]]) / Math.sqrt(24 * 25 / 12.0 * (1 / 8.0 + 1 / 8.0));
            dunnP[k] = 2 * NormalDistribution.of(0, 1).survivalProbability(Math.abs(z));
            assertThat(p.meanRankDifference()).isCloseTo(meanRank[order[k][0]] - meanRank[order[k][1]], within(1e-9));
            assertThat(p.dunnZ()).isCloseTo(z, within(1e-9));
            assertThat(p.dunnP()).isCloseTo(dunnP[k], within(1e-12));
        }
        assertHolm(c.pairs().stream().mapToDouble(Comparison.Pair::holmP).toArray(), welchP);
        assertHolm(c.pairs().stream().mapToDouble(Comparison.Pair::dunnHolmP).toArray(), dunnP);

        // the verdict is on dlacZ − wt, in the claimed direction, by its Holm-adjusted p
        assertThat(c.claimedPairs()).containsExactly(c.pairs().getFirst());
        var pair = c.claimedPairs().getFirst();
        assertThat(pair.meanDifference()).isNegative();
        assertThat(pair.holmP()).isLessThan(0.05);

        // the section as the researcher reads it: every number shown is the one recomputed here; in the tables each column to the
        // decimals that give its smallest value three figures (means, medians, their intervals and the differences share the measure's)
        var md = new StringBuilder();
        HypothesisMarkdown.render(md, h);
        var text = md.toString();
        double[] means = new double[3], sds = new double[3], medians = new double[3], halves = new double[3];
        for (int g = 0; g < 3; g++) {
            var a = areas.get(g);
            means[g] = mean(a);
            sds[g] = Math.sqrt(var(a));
            halves[g] = TDistribution.of(7).inverseSurvivalProbability(0.025) * sds[g] / Math.sqrt(8);
            var sorted = a.clone();
            Arrays.sort(sorted);
            medians[g] = (sorted[3] + sorted[4]) / 2;
        }
        int measure = decimals(DoubleStream.concat(Arrays.stream(means), Arrays.stream(medians)).toArray()), sd = decimals(sds);
        for (int g = 0; g < 3; g++)
            assertThat(text).contains("| " + names.get(g) + " | 8 | " + fixed(means[g], measure) + " | " + fixed(sds[g], sd) + " | " + fixed(medians[g], measure) + " | "
                    + fixed(means[g] - halves[g], measure) + " to " + fixed(means[g] + halves[g], measure) + " |");
        assertThat(text).contains("F(2, 21) = " + sig(f) + ", " + p(c.anovaP()), "eta² = " + sig(anova.ssBetween() / (anova.ssBetween() + anova.ssWithin())), "Kruskal–Wallis H = " + sig(kw));
        int t = decimals(c.pairs().stream().mapToDouble(Comparison.Pair::t).toArray()), df = decimals(c.pairs().stream().mapToDouble(Comparison.Pair::df).toArray());
        int ranks = decimals(c.pairs().stream().mapToDouble(Comparison.Pair::meanRankDifference).toArray()), z = decimals(c.pairs().stream().mapToDouble(Comparison.Pair::dunnZ).toArray());
        for (var p : c.pairs()) {
            var name = "`" + p.first() + "` − `" + p.second() + "`";
            assertThat(text).contains("| " + (p == pair ? "**" + name + "**" : name) + " | " + fixed(p.meanDifference(), measure) + " | " + fixed(p.differenceCiLow(), measure)
                    + " to " + fixed(p.differenceCiHigh(), measure) + " | " + fixed(p.t(), t) + " | " + fixed(p.df(), df) + " | " + pv(p.holmP()) + " | "
                    + fixed(p.meanRankDifference(), ranks) + " | " + fixed(p.dunnZ(), z) + " | " + pv(p.dunnHolmP()) + " |");
        }
        // the verdict repeats the tables' numbers as the tables write them (its pair's t to the t column's decimals, not three figures)
        assertThat(h.conclusion()).startsWith("Supported: `dlacZ` is lower than `wt` as claimed, and significantly so: mean od (area under the curve) of `dlacZ` "
                + fixed(mean(areas.get(0)), measure) + " vs `wt` " + fixed(mean(areas.get(1)), measure) + ", difference " + fixed(pair.meanDifference(), measure)
                + " (95 % CI " + fixed(pair.differenceCiLow(), measure) + " to " + fixed(pair.differenceCiHigh(), measure) + ", not adjusted); Welch's t = "
                + fixed(pair.t(), t) + ", df = " + fixed(pair.df(), df) + ", " + p(pair.holmP()) + " (two-sided, Holm-adjusted over the 3 pairs of 3 groups)");
        assertThat(text).doesNotContain("p = 0 ", "p = 0.", "p = 0,").contains("**Verdict: supported.**");

        // report.json carries the same numbers, unrounded
        var json = dev.labdesk.model.Json.newMapper().valueToTree(h).get("comparison");
        assertThat(json.get("pairs")).hasSize(3);
        assertThat(json.get("pairs_method").asText()).contains("Holm");
        assertThat(json.get("claimed_pairs")).hasSize(1);
        assertThat(json.get("claimed_pairs").get(0).get("first").asText()).isEqualTo("dlacZ");
        assertThat(json.get("claimed_pairs").get(0).get("holm_p").asDouble()).isEqualTo(pair.holmP());
        assertThat(json.get("pairs").get(2).get("dunn_holm_p").asDouble()).isEqualTo(c.pairs().get(2).dunnHolmP());
        assertThat(json.get("pairs").get(1).get("difference_ci_low").asDouble()).isEqualTo(c.pairs().get(1).differenceCiLow());
    }

    @Test
    void pandasReadingTheSameFilesInAPythonProcessGetsTheSameAreasAndGroupNumbers() throws Exception {
        var h = analyse(GrowthExperiment.seeded(23));
        var script = scratch.resolve("check.py");
        Files.writeString(script, """
                import json, sys
                import numpy as np, pandas as pd
                export, layout = sys.argv[1], sys.argv[2]
                lines = open(export, encoding="utf-8").read().splitlines()
                header = next(i for i, l in enumerate(lines) if l.startswith("Time,"))
                plate = pd.read_csv(export, skiprows=header)
                hours = pd.to_timedelta(plate["Time"]).dt.total_seconds() / 3600
                grid = [l.split(",") for l in open(layout, encoding="utf-8").read().splitlines()]
                start = grid.index(["Strain"]) + 2
                strain = {row[0] + str(c): row[c] for row in grid[start:start + 8] for c in range(1, 13) if row[c]}
                trapz = getattr(np, "trapezoid", None) or np.trapz
                areas = pd.DataFrame([{"well": w, "strain": s, "auc": trapz(plate[w].to_numpy(), hours.to_numpy())} for w, s in strain.items() if s != "blank"])
                g = areas.groupby("strain")["auc"]
                out = {s: {"n": int(g.count()[s]), "mean": float(g.mean()[s]), "sd": float(g.std()[s]), "median": float(g.median()[s])} for s in g.groups}
                print(json.dumps(out))
                """);
        var process = new ProcessBuilder("/usr/bin/python3", script.toString(), volume.resolve(EXPORT).toString(), volume.resolve(LAYOUT).toString())
                .redirectErrorStream(true).start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        var pandas = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(pandas.size()).isEqualTo(3);
        for (var s : h.groupSummaries()) {
            var p = pandas.get(s.group());
            assertThat(s.n()).isEqualTo(p.get("n").asInt());
            assertThat(s.mean()).isCloseTo(p.get("mean").asDouble(), within(1e-9));
            assertThat(s.sd()).isCloseTo(p.get("sd").asDouble(), within(1e-9));
            assertThat(s.median()).isCloseTo(p.get("median").asDouble(), within(1e-9));
        }
    }

    private static void assertHolm(double[] adjusted, double[] p) {
        var holm = ByHand.holm(p);
        for (int k = 0; k < p.length; k++) assertThat(adjusted[k]).isCloseTo(holm[k], within(1e-12));
    }

    /** Three significant figures as a person writes them, zeros included (12.0); none here is above 1000. */
    private static String sig(double v) {
        assertThat(Math.abs(v)).isBetween(1e-4, 1000.0);
        var r = new BigDecimal(v).round(new MathContext(3));
        return (r.precision() < 3 ? r.setScale(r.scale() + 3 - r.precision()) : r).toPlainString();
    }

    /** The decimals that give the smallest of {@code values} three significant figures. */
    private static int decimals(double... values) {
        double smallest = Arrays.stream(values).map(Math::abs).min().orElseThrow();
        return Math.max(0, 2 - (int) Math.floor(Math.log10(smallest)));
    }

    private static String fixed(double v, int decimals) {
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** A p-value as it is printed: three figures, zeros included (0.480). */
    private static String pv(double p) {
        return p < 0.001 ? "< 0.001" : sig(p);
    }

    private static String p(double p) {
        return p < 0.001 ? "p < 0.001" : "p = " + pv(p);
    }

    private static double mean(double[] v) {
        return ByHand.mean(v);
    }

    private static double var(double[] v) {
        return ByHand.var(v);
    }
}
