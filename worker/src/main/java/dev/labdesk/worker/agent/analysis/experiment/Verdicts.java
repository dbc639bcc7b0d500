package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.Numbers;
import java.util.ArrayList;

/**
 * The verdict and its one-sentence conclusion: supported only if the effect is in the claimed direction and the two-sided
 * p is below {@link HypothesisTest#ALPHA}; otherwise not supported, saying whether the difference went the other way or was not significant.
 * Among more than two groups, a hypothesis naming two of them is judged on that pair (Holm-adjusted), not on the omnibus test.
 * Every number is written as the section's tables write it ({@link HypothesisNumbers}).
 */
final class Verdicts {
    private Verdicts() {}

    static HypothesisReport two(Draft d, Comparison.TwoGroups c) {
        var a = d.summaries.get(0);
        var b = d.summaries.get(1);
        var what = d.selection.measure().name() + (d.selection.time() != null ? " (area under the curve)" : "");
        var shown = HypothesisNumbers.of(d.summaries, c);
        var numbers = "mean " + what + " of `" + a.group() + "` " + shown.location(a.mean()) + " vs `" + b.group() + "` " + shown.location(b.mean())
                + ", difference " + shown.difference(c.meanDifference()) + " (95 % CI " + shown.difference(c.differenceCiLow()) + " to " + shown.difference(c.differenceCiHigh())
                + "); Welch's t = " + Numbers.statistic(c.t()) + ", df = " + Numbers.statistic(c.df()) + ", " + Numbers.p(c.pTwoSided()) + " (two-sided); Hedges' g = "
                + Numbers.statistic(c.hedgesG());
        boolean significant = c.pTwoSided() < HypothesisTest.ALPHA;
        var dir = d.claim.direction();
        return switch (dir) {
            case GREATER, LESS -> {
                boolean claimed = dir == Direction.GREATER ? c.meanDifference() > 0 : c.meanDifference() < 0;
                var claimText = "`" + a.group() + "` is " + dir.phrase() + " `" + b.group() + "`";
                if (claimed && significant) yield d.done(Verdict.SUPPORTED, "Supported: " + claimText + " as claimed, and significantly so: " + numbers + ".");
                if (claimed) yield d.done(Verdict.NOT_SUPPORTED, "Not supported: `" + a.group() + "` is " + dir.phrase() + " `" + b.group()
                        + "` as claimed, but the difference is not significant: " + numbers + ".");
                yield d.done(Verdict.NOT_SUPPORTED, "Not supported: the difference is in the other direction (`" + a.group() + "` is "
                        + (dir == Direction.GREATER ? Direction.LESS : Direction.GREATER).phrase() + " `" + b.group() + "`, "
                        + (significant ? "significantly" : "not significantly") + "): " + numbers + ".");
            }
            case DIFFERENT -> significant
                    ? d.done(Verdict.SUPPORTED, "Supported: the groups differ significantly: " + numbers + ".")
                    : d.done(Verdict.NOT_SUPPORTED, "Not supported: no significant difference between the groups: " + numbers + ".");
            case SAME -> significant
                    ? d.done(Verdict.NOT_SUPPORTED, "Not supported: the groups differ significantly: " + numbers + ".")
                    : d.done(Verdict.SUPPORTED, "Supported, in the weak sense that no significant difference was found (which does not show the groups equal): " + numbers + ".");
        };
    }

    static HypothesisReport many(Draft d, Comparison.ManyGroups c) {
        var numbers = "one-way ANOVA F(" + c.dfBetween() + ", " + c.dfWithin() + ") = " + Numbers.statistic(c.f()) + ", " + Numbers.p(c.anovaP()) + ", eta² = "
                + Numbers.statistic(c.etaSquared()) + "; Kruskal–Wallis H = " + Numbers.statistic(c.kruskalWallisH()) + ", df = " + c.kruskalWallisDf() + ", "
                + Numbers.p(c.kruskalWallisP());
        if (c.claimedPairs().size() == 1) return pair(d, c, c.claimedPairs().getFirst(), numbers);
        if (c.claimedPairs().size() > 1) return pairs(d, c, numbers);
        boolean significant = c.anovaP() < HypothesisTest.ALPHA;
        if (d.claim.direction() == Direction.SAME)
            return significant ? d.done(Verdict.NOT_SUPPORTED, "Not supported: the " + d.summaries.size() + " groups differ significantly: " + numbers + ".")
                    : d.done(Verdict.SUPPORTED, "Supported, in the weak sense that no significant difference was found (which does not show the groups equal): " + numbers + ".");
        return significant ? d.done(Verdict.SUPPORTED, "Supported: the means of the " + d.summaries.size() + " groups differ significantly: " + numbers + ".")
                : d.done(Verdict.NOT_SUPPORTED, "Not supported: no significant difference among the " + d.summaries.size() + " groups: " + numbers + ".");
    }

    /** A directional claim about several pairs ("wt grows faster than dlacZ and dptsG"): supported only if every one of them is. */
    private static HypothesisReport pairs(Draft d, Comparison.ManyGroups c, String omnibus) {
        var dir = d.claim.direction();
        var what = d.selection.measure().name() + (d.selection.time() != null ? " (area under the curve)" : "");
        var shown = HypothesisNumbers.of(d.summaries, c);
        var numbers = new StringBuilder("differences of mean " + what + ": ");
        var failed = new ArrayList<String>();
        for (var p : c.claimedPairs()) {
            boolean claimed = dir == Direction.GREATER ? p.meanDifference() > 0 : p.meanDifference() < 0;
            boolean significant = p.holmP() < HypothesisTest.ALPHA;
            numbers.append("`").append(p.first()).append("` − `").append(p.second()).append("` ").append(shown.difference(p.meanDifference())).append(" (95 % CI ")
                    .append(shown.difference(p.differenceCiLow())).append(" to ").append(shown.difference(p.differenceCiHigh())).append(", not adjusted; Welch's t = ")
                    .append(shown.t(p.t())).append(", df = ").append(shown.df(p.df())).append(", ").append(Numbers.p(p.holmP())).append(" Holm-adjusted); ");
            if (!claimed) failed.add("`" + p.first() + "` is " + (dir == Direction.GREATER ? Direction.LESS : Direction.GREATER).phrase() + " `" + p.second()
                    + "`, the other direction" + (significant ? ", significantly" : ""));
            else if (!significant) failed.add("`" + p.first() + "` is " + dir.phrase() + " `" + p.second() + "` as claimed, but not significantly");
        }
        numbers.append("over all groups ").append(omnibus);
        return failed.isEmpty()
                ? d.done(Verdict.SUPPORTED, "Supported: each of the " + c.claimedPairs().size() + " pairs the hypothesis names differs in the claimed direction ("
                        + dir.phrase() + "), and significantly so (two-sided, Holm-adjusted over all " + c.pairs().size() + " pairs): " + numbers + ".")
                : d.done(Verdict.NOT_SUPPORTED, "Not supported: " + String.join("; ", failed) + " (two-sided, Holm-adjusted over all " + c.pairs().size()
                        + " pairs): " + numbers + ".");
    }

    /** The verdict on the two groups the hypothesis names, among more: their Welch test, Holm-adjusted over all pairs, and its direction. */
    private static HypothesisReport pair(Draft d, Comparison.ManyGroups c, Comparison.Pair p, String omnibus) {
        var a = d.summaries.stream().filter(s -> s.group().equals(p.first())).findFirst().orElseThrow();
        var b = d.summaries.stream().filter(s -> s.group().equals(p.second())).findFirst().orElseThrow();
        var what = d.selection.measure().name() + (d.selection.time() != null ? " (area under the curve)" : "");
        int pairs = d.summaries.size() * (d.summaries.size() - 1) / 2;
        var shown = HypothesisNumbers.of(d.summaries, c);
        var numbers = "mean " + what + " of `" + a.group() + "` " + shown.location(a.mean()) + " vs `" + b.group() + "` " + shown.location(b.mean())
                + ", difference " + shown.difference(p.meanDifference()) + " (95 % CI " + shown.difference(p.differenceCiLow()) + " to " + shown.difference(p.differenceCiHigh())
                + ", not adjusted); Welch's t = " + shown.t(p.t()) + ", df = " + shown.df(p.df()) + ", " + Numbers.p(p.holmP()) + " (two-sided, Holm-adjusted over the "
                + pairs + " pairs of " + d.summaries.size() + " groups); over all groups " + omnibus;
        boolean significant = p.holmP() < HypothesisTest.ALPHA;
        var dir = d.claim.direction();
        return switch (dir) {
            case GREATER, LESS -> {
                boolean claimed = dir == Direction.GREATER ? p.meanDifference() > 0 : p.meanDifference() < 0;
                if (claimed && significant) yield d.done(Verdict.SUPPORTED, "Supported: `" + a.group() + "` is " + dir.phrase() + " `" + b.group()
                        + "` as claimed, and significantly so: " + numbers + ".");
                if (claimed) yield d.done(Verdict.NOT_SUPPORTED, "Not supported: `" + a.group() + "` is " + dir.phrase() + " `" + b.group()
                        + "` as claimed, but the difference is not significant: " + numbers + ".");
                yield d.done(Verdict.NOT_SUPPORTED, "Not supported: the difference is in the other direction (`" + a.group() + "` is "
                        + (dir == Direction.GREATER ? Direction.LESS : Direction.GREATER).phrase() + " `" + b.group() + "`, "
                        + (significant ? "significantly" : "not significantly") + "): " + numbers + ".");
            }
            case DIFFERENT -> significant
                    ? d.done(Verdict.SUPPORTED, "Supported: `" + a.group() + "` and `" + b.group() + "` differ significantly: " + numbers + ".")
                    : d.done(Verdict.NOT_SUPPORTED, "Not supported: no significant difference between `" + a.group() + "` and `" + b.group() + "`: " + numbers + ".");
            case SAME -> significant
                    ? d.done(Verdict.NOT_SUPPORTED, "Not supported: `" + a.group() + "` and `" + b.group() + "` differ significantly: " + numbers + ".")
                    : d.done(Verdict.SUPPORTED, "Supported, in the weak sense that no significant difference was found between `" + a.group() + "` and `"
                    + b.group() + "` (which does not show them equal): " + numbers + ".");
        };
    }
}
