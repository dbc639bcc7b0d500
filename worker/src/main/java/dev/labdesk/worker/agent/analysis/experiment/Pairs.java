package dev.labdesk.worker.agent.analysis.experiment;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.TTest;
import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.TiesStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which pairs of three or more groups differ: every pair by Welch's t-test (after ANOVA) and by Dunn's test on the
 * Kruskal–Wallis ranks (after Kruskal–Wallis), each family of p-values Holm-adjusted. Pairs run in group order
 * (first with second, first with third, …), so a claim about the first two groups is the first pair.
 */
final class Pairs {
    private Pairs() {}

    static List<Comparison.Pair> compare(List<String> names, List<double[]> groups) {
        int k = groups.size();
        var ranks = meanRanks(groups);
        double dunnVariance = dunnVariance(groups);
        var out = new ArrayList<double[]>();
        var pairs = new ArrayList<int[]>();
        for (int i = 0; i < k; i++)
            for (int j = i + 1; j < k; j++) {
                double[] x = groups.get(i), y = groups.get(j);
                double diff = mean(x) - mean(y);
                double se = Math.sqrt(variance(x) / x.length + variance(y) / y.length);
                double t = Double.NaN, df = Double.NaN, p = Double.NaN, half = Double.NaN;
                if (se > 0) { // two groups that do not vary have no standard error: Welch's t is undefined, not infinite
                    var welch = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC).test(x, y);
                    t = welch.getStatistic();
                    df = welch.getDegreesOfFreedom();
                    p = welch.getPValue();
                    half = TDistribution.of(df).inverseSurvivalProbability(0.025) * se;
                }
                double rankDiff = ranks[i] - ranks[j];
                double z = rankDiff / Math.sqrt(dunnVariance * (1.0 / x.length + 1.0 / y.length));
                double dunnP = 2 * NormalDistribution.of(0, 1).survivalProbability(Math.abs(z));
                out.add(new double[] {diff, diff - half, diff + half, t, df, p, rankDiff, z, dunnP});
                pairs.add(new int[] {i, j});
            }
        var welchHolm = holm(out.stream().mapToDouble(v -> v[5]).toArray());
        var dunnHolm = holm(out.stream().mapToDouble(v -> v[8]).toArray());
        var result = new ArrayList<Comparison.Pair>();
        for (int p = 0; p < out.size(); p++) {
            var v = out.get(p);
            result.add(new Comparison.Pair(names.get(pairs.get(p)[0]), names.get(pairs.get(p)[1]), v[0], v[1], v[2], v[3], v[4], v[5], welchHolm[p],
                    v[6], v[7], v[8], dunnHolm[p]));
        }
        return result;
    }

    /**
     * Holm's step-down adjustment: the i-th smallest of m p-values times (m − i + 1), kept monotone and at most 1. An undefined
     * p (NaN: Welch's t between two groups that do not vary) is no test, so it is not counted in m and stays undefined.
     */
    static double[] holm(double[] p) {
        var order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed().sorted(Comparator.comparingDouble(i -> p[i]))
                .mapToInt(Integer::intValue).toArray();
        int m = order.length;
        var adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int r = 0; r < m; r++) {
            running = Math.max(running, Math.min(1, (m - r) * p[order[r]]));
            adjusted[order[r]] = running;
        }
        return adjusted;
    }

    /** Each group's mean rank among all values, ties averaged (the ranks Kruskal–Wallis uses). */
    static double[] meanRanks(List<double[]> groups) {
        var ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).apply(concat(groups));
        var out = new double[groups.size()];
        int at = 0;
        for (int g = 0; g < groups.size(); g++) {
            double sum = 0;
            for (int j = 0; j < groups.get(g).length; j++) sum += ranks[at++];
            out[g] = sum / groups.get(g).length;
        }
        return out;
    }

    /** Dunn's variance of a mean rank, per 1/n: N(N + 1)/12 − Σ(t³ − t) / (12(N − 1)), the second term correcting for ties. */
    static double dunnVariance(List<double[]> groups) {
        var all = concat(groups);
        double n = all.length;
        Arrays.sort(all);
        double ties = 0;
        for (int s = 0; s < all.length; ) {
            int e = s;
            while (e + 1 < all.length && all[e + 1] == all[s]) e++;
            double t = e - s + 1;
            ties += t * t * t - t;
            s = e + 1;
        }
        return n * (n + 1) / 12 - ties / (12 * (n - 1));
    }

    private static double[] concat(List<double[]> groups) {
        return groups.stream().flatMapToDouble(Arrays::stream).toArray();
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).sum() / v.length;
    }

    private static double variance(double[] v) {
        double m = mean(v), s = 0;
        for (var x : v) s += (x - m) * (x - m);
        return s / (v.length - 1);
    }
}
