package dev.labdesk.worker.agent.analysis.experiment;

import java.util.List;

/** The test run between the groups: two groups or more than two. */
public sealed interface Comparison {
    /** The p-value the verdict rests on. */
    double p();

    /**
     * Welch's t-test (unequal variances) of {@code first} against {@code second}; {@code pOneSided} is in the claimed direction
     * (null for a two-sided claim); the effect size is Hedges' g (Cohen's d with the pooled sd, times 1 − 3/(4(n₁+n₂) − 9));
     * Mann–Whitney U is the rank-based check that assumes no normality.
     */
    record TwoGroups(String kind, String first, String second, double meanDifference, double differenceCiLow, double differenceCiHigh,
                     double t, double df, double pTwoSided, Double pOneSided, String alternative, double cohensD, double hedgesG,
                     String effectSizeFormula, double mannWhitneyU, double mannWhitneyP) implements Comparison {
        @Override
        public double p() {
            return pTwoSided;
        }
    }

    /**
     * One-way ANOVA (F, its degrees of freedom, eta² = SS between / SS total) and the Kruskal–Wallis H test
     * (ranks with ties averaged and H corrected for ties, p from χ² with k − 1 degrees of freedom), then every
     * {@code pairs} of groups; {@code claimedPairs} are the pairs the hypothesis makes its claim about (none when it claims only that the groups differ).
     */
    record ManyGroups(String kind, double f, int dfBetween, long dfWithin, double anovaP, double etaSquared,
                      double kruskalWallisH, int kruskalWallisDf, double kruskalWallisP, String pairsMethod, List<Pair> pairs,
                      List<Pair> claimedPairs) implements Comparison {
        public ManyGroups {
            pairs = List.copyOf(pairs);
            claimedPairs = List.copyOf(claimedPairs);
        }

        /** The omnibus p, or the largest Holm-adjusted p of the claimed pairs (the claim holds only if all of them do). */
        @Override
        public double p() {
            return claimedPairs.isEmpty() ? anovaP : claimedPairs.stream().mapToDouble(Pair::holmP).max().orElseThrow();
        }
    }

    /**
     * One pair of three or more groups: Welch's t-test of {@code first} − {@code second} (difference of means with its
     * unadjusted 95 % CI, t, df, p and Holm-adjusted p over all pairs), and Dunn's test on the Kruskal–Wallis ranks
     * (difference of mean ranks, z, p and Holm-adjusted p). Holm controls the chance of any false difference among the pairs.
     */
    record Pair(String first, String second, double meanDifference, double differenceCiLow, double differenceCiHigh, double t, double df,
                double p, double holmP, double meanRankDifference, double dunnZ, double dunnP, double dunnHolmP) {}
}
