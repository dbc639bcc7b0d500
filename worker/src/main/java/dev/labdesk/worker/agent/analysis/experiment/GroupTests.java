package dev.labdesk.worker.agent.analysis.experiment;

import java.util.Arrays;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.OneWayAnova;
import org.apache.commons.statistics.inference.TTest;
import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.TiesStrategy;

import java.util.List;

/** The group comparisons, from Apache Commons Statistics: Welch's t, Mann–Whitney U, one-way ANOVA, Kruskal–Wallis from its ranking and χ² distribution, and the pairs ({@link Pairs}). */
final class GroupTests {
    static final String HEDGES = "g = (mean₁ − mean₂) / s_pooled × (1 − 3 / (4(n₁ + n₂) − 9)), s_pooled = √(((n₁ − 1)s₁² + (n₂ − 1)s₂²) / (n₁ + n₂ − 2))";

    private GroupTests() {}

    /** Welch's test of x against y; {@code claim} picks the one-sided alternative (mean x greater or less than mean y). */
    static Comparison.TwoGroups two(String first, double[] x, String second, double[] y, Direction claim) {
        var a = GroupSummary.of(first, x);
        var b = GroupSummary.of(second, y);
        var welch = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC).with(AlternativeHypothesis.TWO_SIDED).test(x, y);
        Double oneSided = null;
        String alternative = "mean of " + first + " ≠ mean of " + second;
        if (claim == Direction.GREATER || claim == Direction.LESS) {
            var h = claim == Direction.GREATER ? AlternativeHypothesis.GREATER_THAN : AlternativeHypothesis.LESS_THAN;
            oneSided = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC).with(h).test(x, y).getPValue();
            alternative = "mean of " + first + (claim == Direction.GREATER ? " > " : " < ") + "mean of " + second;
        }
        double diff = a.mean() - b.mean();
        double se = Math.sqrt(a.sd() * a.sd() / a.n() + b.sd() * b.sd() / b.n());
        double half = TDistribution.of(welch.getDegreesOfFreedom()).inverseSurvivalProbability(0.025) * se;
        int n1 = a.n(), n2 = b.n();
        double pooled = Math.sqrt(((n1 - 1) * a.sd() * a.sd() + (n2 - 1) * b.sd() * b.sd()) / (n1 + n2 - 2));
        double d = diff / pooled;
        double g = d * (1 - 3.0 / (4.0 * (n1 + n2) - 9));
        var mw = MannWhitneyUTest.withDefaults().test(x, y);
        return new Comparison.TwoGroups("welch_t_test", first, second, diff, diff - half, diff + half, welch.getStatistic(),
                welch.getDegreesOfFreedom(), welch.getPValue(), oneSided, alternative, d, g, HEDGES, mw.getStatistic(), mw.getPValue());
    }

    static final String PAIRS_METHOD = "every pair by Welch's t-test (after ANOVA) and by Dunn's test on the Kruskal–Wallis ranks (after Kruskal–Wallis),"
            + " each family's p-values Holm-adjusted";

    /** ANOVA and Kruskal–Wallis over all groups, then every pair; {@code claimed}: the pairs the hypothesis is about. */
    static Comparison.ManyGroups many(List<String> names, List<double[]> groups, List<Selection.Claimed> claimed) {
        var anova = OneWayAnova.withDefaults().test(groups);
        int k = groups.size();
        long total = groups.stream().mapToLong(g -> g.length).sum();
        int dfBetween = k - 1;
        long dfWithin = total - k;
        double between = anova.getMSBG() * dfBetween, within = anova.getMSWG() * dfWithin;
        double eta = between / (between + within);
        double h = kruskalWallisH(groups);
        double p = ChiSquaredDistribution.of(k - 1).survivalProbability(h);
        var pairs = Pairs.compare(names, groups);
        return new Comparison.ManyGroups("one_way_anova", anova.getStatistic(), dfBetween, dfWithin, anova.getPValue(), eta, h, k - 1, p,
                PAIRS_METHOD, pairs, pairs.stream().filter(x -> claimed.contains(new Selection.Claimed(x.first(), x.second()))).toList());
    }

    /** H = (12 / (N(N + 1)) Σ Rᵢ²/nᵢ − 3(N + 1)) / (1 − Σ(t³ − t) / (N³ − N)), ranks over all groups with ties averaged. */
    static double kruskalWallisH(List<double[]> groups) {
        int total = groups.stream().mapToInt(g -> g.length).sum();
        var all = new double[total];
        int i = 0;
        for (var g : groups) for (var v : g) all[i++] = v;
        var ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).apply(all);
        double sum = 0;
        i = 0;
        for (var g : groups) {
            double r = 0;
            for (int j = 0; j < g.length; j++) r += ranks[i++];
            sum += r * r / g.length;
        }
        double n = total;
        double h = 12.0 / (n * (n + 1)) * sum - 3 * (n + 1);
        var sorted = all.clone();
        Arrays.sort(sorted);
        double ties = 0;
        for (int s = 0; s < sorted.length; ) {
            int e = s;
            while (e + 1 < sorted.length && sorted[e + 1] == sorted[s]) e++;
            double t = e - s + 1;
            ties += t * t * t - t;
            s = e + 1;
        }
        double correction = 1 - ties / (n * n * n - n);
        return correction > 0 ? h / correction : 0;
    }
}
