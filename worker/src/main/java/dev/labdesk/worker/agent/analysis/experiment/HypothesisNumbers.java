package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.Numbers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the Hypothesis section writes each of its numbers, for its tables and its prose alike: one {@link Numbers.Scale} per
 * table column (means, medians, their intervals and the differences in the measure's; sds, t, df, mean ranks and z each in
 * their own), so a number the verdict or a caveat repeats reads exactly as the cell it repeats. A statistic shown once
 * (F, H, eta², a two-group t) is {@link Numbers#statistic}, p-values {@link Numbers#p}, wherever they appear.
 */
final class HypothesisNumbers {
    private final Numbers.Scale location, sd, difference, t, df, ranks, z;

    private HypothesisNumbers(Numbers.Scale location, Numbers.Scale sd, Numbers.Scale difference, Numbers.Scale t, Numbers.Scale df, Numbers.Scale ranks,
                              Numbers.Scale z) {
        this.location = location;
        this.sd = sd;
        this.difference = difference;
        this.t = t;
        this.df = df;
        this.ranks = ranks;
        this.z = z;
    }

    static HypothesisNumbers of(HypothesisReport h) {
        return of(h.groupSummaries(), h.comparison());
    }

    static HypothesisNumbers of(List<GroupSummary> groups, Comparison comparison) {
        var values = new ArrayList<Double>();
        var bounds = new ArrayList<Double>();
        for (var g : groups) {
            values.addAll(Arrays.asList(g.mean(), g.median()));
            bounds.addAll(Arrays.asList(g.ciLow(), g.ciHigh()));
        }
        // three figures of the smallest mean or median, finer where an interval's bound would read 0
        var location = scale(values).nonzero(bounds);
        var sd = scale(groups.stream().map(GroupSummary::sd).toList());
        var pairs = comparison instanceof Comparison.ManyGroups m ? m.pairs() : List.<Comparison.Pair>of();
        var differences = new ArrayList<Double>();
        switch (comparison) {
            case Comparison.TwoGroups c -> differences.addAll(List.of(c.meanDifference(), c.differenceCiLow(), c.differenceCiHigh()));
            case Comparison.ManyGroups c -> c.pairs().forEach(p -> differences.addAll(List.of(p.meanDifference(), p.differenceCiLow(), p.differenceCiHigh())));
            case null -> {}
        }
        Function<Function<Comparison.Pair, Double>, Numbers.Scale> column = f -> scale(pairs.stream().map(f).toList());
        return new HypothesisNumbers(location, sd, location.nonzero(differences), column.apply(Comparison.Pair::t), column.apply(Comparison.Pair::df),
                column.apply(Comparison.Pair::meanRankDifference), column.apply(Comparison.Pair::dunnZ));
    }

    /** A table column of computed statistics: three significant figures of its smallest value, the same decimals for all. */
    private static Numbers.Scale scale(List<Double> values) {
        return Numbers.Scale.ofStatistics(values.stream().filter(Objects::nonNull).toList(), 3);
    }

    /** A group's mean, median or a bound of its interval: the group table's column. */
    String location(Double v) {
        return v == null ? "–" : location.format(v);
    }

    String sd(Double v) {
        return v == null ? "–" : sd.format(v);
    }

    /** A difference of means or a bound of its interval, in the measure's units. */
    String difference(double v) {
        return difference.format(v);
    }

    /** A pair's Welch t, as the pairs table's column shows it. */
    String t(double v) {
        return t.format(v);
    }

    /** A pair's Welch df, as the pairs table's column shows it. */
    String df(double v) {
        return df.format(v);
    }

    String rankDifference(double v) {
        return ranks.format(v);
    }

    String z(double v) {
        return z.format(v);
    }
}
