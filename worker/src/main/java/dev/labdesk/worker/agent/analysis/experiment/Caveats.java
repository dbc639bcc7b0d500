package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.Numbers;
import java.util.List;

/** What to keep in mind reading a comparison: small samples, unequal variances, skew, disagreeing tests, one- vs two-sided, many groups. */
final class Caveats {
    private static final int SMALL = 5;

    private Caveats() {}

    static void two(Draft d, Comparison.TwoGroups c, List<GroupSummary> s) {
        small(d, s);
        var a = s.get(0);
        var b = s.get(1);
        double ratio = Math.max(a.sd() * a.sd(), b.sd() * b.sd()) / Math.max(1e-300, Math.min(a.sd() * a.sd(), b.sd() * b.sd()));
        if (ratio > 4)
            d.caveats.add("Unequal variances (sd " + HypothesisNumbers.of(s, c).sd(a.sd()) + " vs " + HypothesisNumbers.of(s, c).sd(b.sd()) + "): Welch's t-test was used because it does not assume them equal.");
        skewed(d, s, "Mann–Whitney U test (" + Numbers.p(c.mannWhitneyP()) + ")");
        if ((c.pTwoSided() < HypothesisTest.ALPHA) != (c.mannWhitneyP() < HypothesisTest.ALPHA))
            d.caveats.add("Welch's t-test (" + Numbers.p(c.pTwoSided()) + ") and the rank-based Mann–Whitney U test (" + Numbers.p(c.mannWhitneyP())
                    + ") disagree at 0.05: read the result with care.");
        if (c.pOneSided() != null)
            d.caveats.add("One-sided test in the claimed direction (" + c.alternative() + "): " + Numbers.p(c.pOneSided())
                    + "; the verdict uses the two-sided p, the stricter of the two.");
        if (d.claim.direction() == Direction.SAME)
            d.caveats.add("A difference that is not significant is not evidence that the groups are equal; showing equivalence needs a margin"
                    + " and an equivalence test (e.g. two one-sided tests), not done here.");
    }

    static void many(Draft d, Comparison.ManyGroups c, List<GroupSummary> s) {
        small(d, s);
        int pairs = c.pairs().size();
        d.caveats.add("Multiple comparisons: with " + s.size() + " groups the omnibus tests say whether any group differs, not which; the " + pairs
                + " pairs were each tested and their p-values Holm-adjusted (family-wise error 0.05 across the pairs); the pairs' 95 % intervals are not adjusted.");
        var claimed = c.claimedPairs();
        if (claimed.isEmpty() && d.claim.directional())
            d.caveats.add("The claim's direction (\"" + d.claim.directionWord() + "\") is not tested among more than two groups: only whether they differ"
                    + " (the hypothesis names no pair, or names its groups all on one side of \"" + d.claim.directionWord() + "\").");
        if (claimed.size() == 1 && (claimed.getFirst().holmP() < HypothesisTest.ALPHA) != (c.anovaP() < HypothesisTest.ALPHA))
            d.caveats.add("The named pair (" + Numbers.p(claimed.getFirst().holmP()) + ", Holm-adjusted) and the test over all groups (ANOVA " + Numbers.p(c.anovaP())
                    + ") disagree at 0.05: the verdict rests on the pair the hypothesis names.");
        for (var p : claimed)
            if ((p.holmP() < HypothesisTest.ALPHA) != (p.dunnHolmP() < HypothesisTest.ALPHA))
                d.caveats.add("For the named pair `" + p.first() + "` − `" + p.second() + "`, Welch's t-test (" + Numbers.p(p.holmP()) + ") and the rank-based Dunn test ("
                        + Numbers.p(p.dunnHolmP()) + "), both Holm-adjusted, disagree at 0.05: read the result with care.");
        if (claimed.size() == 1)
            d.caveats.add("Had `" + claimed.getFirst().first() + "` vs `" + claimed.getFirst().second() + "` been the only comparison planned, Welch's test alone gives "
                    + Numbers.p(claimed.getFirst().p()) + " (not adjusted); the verdict uses the Holm-adjusted p because the other groups were compared too.");
        double max = s.stream().mapToDouble(GroupSummary::sd).max().orElse(0), min = s.stream().mapToDouble(GroupSummary::sd).min().orElse(0);
        if (max * max > 4 * min * min) // the sds as the group table shows them
            d.caveats.add("Unequal variances (largest sd " + HypothesisNumbers.of(s, c).sd(max) + ", smallest " + HypothesisNumbers.of(s, c).sd(min)
                    + "): one-way ANOVA assumes equal variances; the Kruskal–Wallis test does not.");
        skewed(d, s, "Kruskal–Wallis test (" + Numbers.p(c.kruskalWallisP()) + ")");
        if ((c.anovaP() < HypothesisTest.ALPHA) != (c.kruskalWallisP() < HypothesisTest.ALPHA))
            d.caveats.add("ANOVA (" + Numbers.p(c.anovaP()) + ") and Kruskal–Wallis (" + Numbers.p(c.kruskalWallisP()) + ") disagree at 0.05: read the result with care.");
    }

    private static void small(Draft d, List<GroupSummary> s) {
        var small = s.stream().filter(g -> g.n() < SMALL).map(g -> "`" + g.group() + "` n = " + g.n()).toList();
        if (!small.isEmpty())
            d.caveats.add("Small samples (" + String.join(", ", small) + "): the test has little power to detect a difference and the intervals are wide.");
    }

    private static void skewed(Draft d, List<GroupSummary> s, String rankTest) {
        var skewed = s.stream().filter(g -> g.n() >= 8 && g.skewness() != null && Math.abs(g.skewness()) > 1)
                .map(g -> "`" + g.group() + "` skewness " + Numbers.coefficient(g.skewness())).toList();
        if (!skewed.isEmpty())
            d.caveats.add("Skewed values (" + String.join(", ", skewed) + "): the t-based test and intervals assume roughly normal means;"
                    + " the rank-based " + rankTest + " does not.");
    }
}
