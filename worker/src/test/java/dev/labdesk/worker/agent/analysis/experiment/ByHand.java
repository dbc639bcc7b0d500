package dev.labdesk.worker.agent.analysis.experiment;

import java.util.Arrays;
import java.util.List;

/** The hand checks' arithmetic, written from the textbook formulas, independent of the code under test. */
final class ByHand {
    private ByHand() {}

    static double mean(double[] v) {
        return Arrays.stream(v).sum() / v.length;
    }

    static double var(double[] v) {
        double m = mean(v), s = 0;
        for (var x : v) s += (x - m) * (x - m);
        return s / (v.length - 1);
    }

    static double[] all(List<double[]> groups) {
        return groups.stream().flatMapToDouble(Arrays::stream).toArray();
    }

    /** One-way ANOVA by its sums of squares. */
    record Anova(double f, double ssBetween, double ssWithin, int dfBetween, int dfWithin) {}

    static Anova anova(List<double[]> groups) {
        double grand = mean(all(groups)), ssb = 0, ssw = 0;
        for (var a : groups) {
            ssb += a.length * Math.pow(mean(a) - grand, 2);
            for (var v : a) ssw += Math.pow(v - mean(a), 2);
        }
        int dfb = groups.size() - 1, dfw = all(groups).length - groups.size();
        return new Anova((ssb / dfb) / (ssw / dfw), ssb, ssw, dfb, dfw);
    }

    /** Each group's mean rank among all values, ranks counted here (no ties). */
    static double[] meanRanks(List<double[]> groups) {
        var all = all(groups);
        var out = new double[groups.size()];
        for (int g = 0; g < out.length; g++) {
            double r = 0;
            for (var v : groups.get(g)) r += Arrays.stream(all).filter(x -> x <= v).count();
            out[g] = r / groups.get(g).length;
        }
        return out;
    }

    /** Kruskal–Wallis H without ties. */
    static double kruskalWallis(List<double[]> groups) {
        int n = all(groups).length;
        var meanRanks = meanRanks(groups);
        double rankSquares = 0;
        for (int g = 0; g < meanRanks.length; g++) rankSquares += Math.pow(meanRanks[g] * groups.get(g).length, 2) / groups.get(g).length;
        return 12.0 / (n * (n + 1.0)) * rankSquares - 3 * (n + 1.0);
    }

    /** Holm's step-down adjustment of {@code p}, in their order. */
    static double[] holm(double[] p) {
        var sorted = p.clone();
        Arrays.sort(sorted);
        var step = new double[p.length];
        for (int i = 0; i < p.length; i++) step[i] = Math.max(i == 0 ? 0 : step[i - 1], Math.min(1, (p.length - i) * sorted[i]));
        var out = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            int rank = 0;
            while (sorted[rank] != p[k]) rank++;
            out[k] = step[rank];
        }
        return out;
    }
}
