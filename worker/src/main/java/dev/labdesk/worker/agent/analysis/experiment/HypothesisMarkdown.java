package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.Numbers;


/** The report's Hypothesis section (or, with goals only, its Goals section) in Markdown. */
public final class HypothesisMarkdown {
    private HypothesisMarkdown() {}

    public static void render(StringBuilder md, HypothesisReport h) {
        if (h.verdict() == Verdict.NO_HYPOTHESIS) {
            goals(md, h);
            return;
        }
        md.append("## Hypothesis\n\n");
        md.append("> ").append(line(h.hypothesis())).append("\n\n");
        md.append("**Verdict: ").append(h.verdict().label()).append(".** ").append(line(h.conclusion())).append("\n\n");
        if (h.direction() != null && h.comparison() instanceof Comparison.ManyGroups c && c.claimedPairs().size() > 1)
            md.append("Read as: each group named before \"").append(line(h.directionWord())).append("\" is ").append(h.direction().phrase())
                    .append(" each named after it: ").append(String.join(", ", c.claimedPairs().stream().map(p -> "`" + p.first() + "` vs `" + p.second() + "`").toList()))
                    .append(".\n\n");
        else if (h.direction() != null)
            md.append("Read as: the first-named group is ").append(h.direction().phrase()).append(" the second")
                    .append(h.directionWord() == null ? " (no direction word: a two-sided claim)" : " (from \"" + line(h.directionWord()) + "\")")
                    .append(h.groups().size() >= 2 ? ": `" + h.groups().get(0) + "` vs `" + h.groups().get(1) + "`" : "").append(".\n\n");
        matches(md, h);
        groups(md, h);
        test(md, h);
        for (var f : h.figures()) md.append(f.markdown()).append("\n\n");
        if (!h.caveats().isEmpty()) {
            md.append("**Caveats**\n\n");
            h.caveats().forEach(c -> md.append("- ").append(line(c)).append('\n'));
            md.append('\n');
        }
        looked(md, h);
    }

    private static void goals(StringBuilder md, HypothesisReport h) {
        md.append("## Goals\n\n");
        md.append("> ").append(line(h.goals())).append("\n\n");
        md.append("No hypothesis was given, so nothing was tested. ").append(line(h.conclusion())).append("\n\n");
        matches(md, h);
        groups(md, h);
        looked(md, h);
    }

    private static void matches(StringBuilder md, HypothesisReport h) {
        if (h.table() == null) return;
        md.append("**Table:** `").append(line(h.table())).append("`");
        if (h.unit() != null) md.append("; one observation is ").append(line(h.unit()));
        md.append(".\n\n");
        if (h.matches().isEmpty()) return;
        md.append("**Columns**\n\n");
        for (var m : h.matches()) md.append("- ").append(m.role()).append(": `").append(line(m.column())).append("` because ").append(line(m.reason())).append('\n');
        md.append('\n');
    }

    /** Means, medians and their intervals in one scale (the measure's), sds in their own: each column to one number of decimals. */
    private static void groups(StringBuilder md, HypothesisReport h) {
        if (h.groupSummaries().isEmpty()) return;
        var shown = HypothesisNumbers.of(h);
        md.append("| ").append(cell(h.groupColumn())).append(" | n | mean | sd | median | 95 % CI of the mean |\n|---|---:|---:|---:|---:|---|\n");
        for (var g : h.groupSummaries())
            md.append("| ").append(cell(g.group())).append(" | ").append(g.n()).append(" | ").append(shown.location(g.mean())).append(" | ")
                    .append(shown.sd(g.sd())).append(" | ").append(shown.location(g.median())).append(" | ")
                    .append(g.ciLow() == null ? "–" : shown.location(g.ciLow()) + " to " + shown.location(g.ciHigh())).append(" |\n");
        md.append('\n');
    }

    private static void test(StringBuilder md, HypothesisReport h) {
        switch (h.comparison()) {
            case null -> {}
            case Comparison.TwoGroups c -> {
                var shown = HypothesisNumbers.of(h);
                md.append("**Test:** Welch's t-test (unequal variances), `").append(c.first()).append("` − `").append(c.second()).append("`: ")
                        .append("difference of means ").append(shown.difference(c.meanDifference())).append(" (95 % CI ").append(shown.difference(c.differenceCiLow()))
                        .append(" to ").append(shown.difference(c.differenceCiHigh())).append("), t = ").append(Numbers.statistic(c.t())).append(", df = ")
                        .append(Numbers.statistic(c.df())).append(", ").append(Numbers.p(c.pTwoSided())).append(" two-sided");
                if (c.pOneSided() != null) md.append(", ").append(Numbers.p(c.pOneSided())).append(" one-sided (").append(c.alternative()).append(')');
                md.append(".\n\n**Effect size:** Hedges' g = ").append(Numbers.statistic(c.hedgesG())).append(" (Cohen's d = ").append(Numbers.statistic(c.cohensD()))
                        .append("; ").append(c.effectSizeFormula()).append(").\n\n");
                md.append("**Rank-based check:** Mann–Whitney U = ").append(Numbers.statistic(c.mannWhitneyU())).append(", ").append(Numbers.p(c.mannWhitneyP()))
                        .append(" two-sided.\n\n");
            }
            case Comparison.ManyGroups c -> {
                md.append("**Test:** one-way ANOVA, F(").append(c.dfBetween()).append(", ").append(c.dfWithin()).append(") = ").append(Numbers.statistic(c.f()))
                        .append(", ").append(Numbers.p(c.anovaP())).append("; Kruskal–Wallis H = ").append(Numbers.statistic(c.kruskalWallisH())).append(", df = ")
                        .append(c.kruskalWallisDf()).append(", ").append(Numbers.p(c.kruskalWallisP())).append(" (ties corrected).\n\n");
                md.append("**Effect size:** eta² = ").append(Numbers.statistic(c.etaSquared())).append(" (sum of squares between groups / total).\n\n");
                pairs(md, h, c);
            }
        }
    }

    /** Which pairs differ: Welch (with its unadjusted 95 % CI) and Dunn, each Holm-adjusted; the pair the hypothesis names marked. */
    private static void pairs(StringBuilder md, HypothesisReport h, Comparison.ManyGroups c) {
        md.append("**Pairs** (").append(c.pairsMethod()).append("; the 95 % CIs are not adjusted").append(c.claimedPairs().isEmpty() ? "" : c.claimedPairs().size() == 1 ? "; the pair the hypothesis names in bold" : "; the pairs the hypothesis names in bold")
                .append(")\n\n");
        md.append("| pair | difference of means | 95 % CI | Welch's t | df | p (Holm) | difference of mean ranks | Dunn's z | p (Holm) |\n")
                .append("|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        var shown = HypothesisNumbers.of(h);
        for (var p : c.pairs()) {
            var name = "`" + cell(p.first()) + "` − `" + cell(p.second()) + "`";
            md.append("| ").append(c.claimedPairs().contains(p) ? "**" + name + "**" : name).append(" | ").append(shown.difference(p.meanDifference())).append(" | ")
                    .append(shown.difference(p.differenceCiLow())).append(" to ").append(shown.difference(p.differenceCiHigh())).append(" | ").append(shown.t(p.t()))
                    .append(" | ").append(shown.df(p.df())).append(" | ").append(Numbers.pValue(p.holmP())).append(" | ").append(shown.rankDifference(p.meanRankDifference()))
                    .append(" | ").append(shown.z(p.dunnZ())).append(" | ").append(Numbers.pValue(p.dunnHolmP())).append(" |\n");
        }
        md.append('\n');
    }

    private static void looked(StringBuilder md, HypothesisReport h) {
        if (h.tablesLookedAt().isEmpty()) return;
        md.append("**Tables looked at**\n\n"); // plain Markdown: the desktop's and the page's renderers show no raw HTML
        h.tablesLookedAt().forEach(t -> md.append("- ").append(line(t)).append('\n'));
        md.append('\n');
    }

    private static String line(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    private static String cell(String s) {
        return line(s).replace("|", "\\|");
    }
}
