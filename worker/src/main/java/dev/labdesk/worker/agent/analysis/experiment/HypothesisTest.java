package dev.labdesk.worker.agent.analysis.experiment;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Tests a hypothesis on the best-matching table: the observations per group (for a time course one area under the
 * curve per replicate), each group's numbers, Welch's t-test for two groups or one-way ANOVA and Kruskal–Wallis for
 * more, and a careful verdict: supported only if the effect is in the claimed direction and the two-sided p is below 0.05.
 */
final class HypothesisTest {
    static final double ALPHA = 0.05;
    private static final int SMALL = 5;
    private static final java.util.regex.Pattern BLANK = java.util.regex.Pattern.compile("(?i)\\b(blank|medium|media|empty|background|no cells|broth)\\b");

    private final Connection db;

    HypothesisTest(Connection db) {
        this.db = db;
    }

    /** Everything the section needs, short of the comparison: built up step by step, then turned into the report. */
    private static final class Draft {
        final Claim claim;
        final String goals;
        final List<String> looked;
        final List<String> caveats = new ArrayList<>();
        Selection selection;
        String unit;
        List<GroupSummary> summaries = List.of();
        Comparison comparison;
        Chart chart;

        Draft(Claim claim, String goals, List<String> looked) {
            this.claim = claim;
            this.goals = goals;
            this.looked = looked;
        }

        HypothesisReport done(Verdict verdict, String conclusion) {
            var s = selection;
            return new HypothesisReport(claim.hypothesis().isEmpty() ? null : claim.hypothesis(), goals, verdict, conclusion,
                    claim.hypothesis().isEmpty() ? null : claim.direction(), claim.directionWord(),
                    s == null ? null : s.frame().name(), s == null || s.group() == null ? null : s.group().name(), s == null ? List.of() : s.groups(),
                    s == null || s.measure() == null ? null : s.measure().name(), s == null || s.time() == null ? null : s.time().name(),
                    s == null || s.replicate() == null ? null : s.replicate().name(), unit, s == null ? List.of() : s.matches(), summaries, comparison,
                    caveats, looked, chart, List.of());
        }
    }

    HypothesisReport test(Claim claim, String goals, List<Selection> ranked, List<String> skipped) throws SQLException {
        var looked = new ArrayList<String>();
        for (var s : ranked) looked.add(describe(s));
        for (var s : skipped) looked.add(s + ": not looked at");
        var d = new Draft(claim, goals, looked);
        boolean hypothesis = !claim.hypothesis().isEmpty();
        if (ranked.isEmpty()) return d.done(hypothesis ? Verdict.CANNOT_BE_TESTED : Verdict.NO_HYPOTHESIS, "No table was found to test it on.");
        var best = ranked.getFirst();
        d.selection = best;
        if (!best.testable()) {
            var why = missing(best, ranked);
            return d.done(hypothesis ? Verdict.CANNOT_BE_TESTED : Verdict.NO_HYPOTHESIS,
                    hypothesis ? "Cannot be tested with these columns: " + why : "No hypothesis was given; " + why);
        }
        // a sample map joined into the best table is part of it, not a rival
        var others = ranked.stream().skip(1).filter(Selection::candidate).filter(s -> !best.frame().name().endsWith(" + " + s.frame().name()))
                .map(s -> "`" + s.frame().name() + "`").toList();
        if (!others.isEmpty())
            d.caveats.add("Other tables also hold columns the text refers to (" + String.join(", ", others) + "); `" + best.frame().name()
                    + "` was used because it matches most: " + roles(best) + ".");

        var rows = Observations.read(db, best);
        if (best.time() != null) {
            var blanks = best.group().levels().stream().filter(v -> !best.groups().contains(v) && BLANK.matcher(v).find()).toList();
            if (!blanks.isEmpty())
                d.caveats.add("Readings were not blank-corrected (the " + best.group().name() + " has " + ColumnMatcher.quoted(blanks)
                        + "): a constant background adds the same area to every curve, so it leaves the difference between groups unchanged but not their ratio.");
        }
        var values = best.time() != null ? timeCourse(d, rows) : rowsOrReplicates(d, rows);
        if (values == null) {
            var why = d.unit;
            d.unit = null;
            return d.done(hypothesis ? Verdict.CANNOT_BE_TESTED : Verdict.NO_HYPOTHESIS, why);
        }

        var summaries = new ArrayList<GroupSummary>();
        for (var g : best.groups()) {
            var v = values.getOrDefault(g, new double[0]);
            if (v.length == 0) {
                d.unit = null;
                return d.done(hypothesis ? Verdict.CANNOT_BE_TESTED : Verdict.NO_HYPOTHESIS, "Cannot be tested: group `" + g + "` has no numeric values of `"
                        + best.measure().name() + "` in `" + best.frame().name() + "`.");
            }
            summaries.add(GroupSummary.of(g, v));
        }
        d.summaries = summaries;
        if (!hypothesis) return d.done(Verdict.NO_HYPOTHESIS, "No hypothesis was given, so nothing was tested; the groups' numbers are below.");
        var tooFew = summaries.stream().filter(s -> s.n() < 2).map(s -> "`" + s.group() + "` (n = " + s.n() + ")").toList();
        if (!tooFew.isEmpty())
            return d.done(Verdict.CANNOT_BE_TESTED, "Cannot be tested: a group needs at least two observations to estimate its spread; "
                    + String.join(", ", tooFew) + " has fewer.");
        if (summaries.stream().allMatch(s -> s.sd() == 0))
            return d.done(Verdict.CANNOT_BE_TESTED, "Cannot be tested: the values do not vary within any group (every sd is 0), so no test applies.");

        var arrays = best.groups().stream().map(values::get).toList();
        if (arrays.size() == 2) {
            var c = GroupTests.two(best.groups().get(0), arrays.get(0), best.groups().get(1), arrays.get(1), claim.direction());
            d.comparison = c;
            caveatsTwo(d, c, summaries);
            return verdictTwo(d, c);
        }
        var c = GroupTests.many(arrays);
        d.comparison = c;
        caveatsMany(d, c, summaries);
        return verdictMany(d, c);
    }

    /** A time course: one area under the curve per replicate; null (with the reason in {@code unit}) when the curves cannot be told apart. */
    private Map<String, double[]> timeCourse(Draft d, List<Observation> rows) {
        var s = d.selection;
        if (s.replicate() == null) {
            var perTime = rows.stream().collect(Collectors.groupingBy(o -> o.group() + "\u0000" + o.time(), Collectors.counting()));
            long most = perTime.values().stream().mapToLong(Long::longValue).max().orElse(0);
            d.unit = most <= 1
                    ? "Cannot be tested: each group is a single curve (one `" + s.measure().name() + "` per `" + s.time().name()
                    + "`), so there is one observation per group (n = 1) and no spread to test against; replicate curves (wells, cultures) with a column naming them are needed."
                    : "Cannot be tested: each group has several values per `" + s.time().name() + "` but no column says which replicate (a well, a culture) each belongs to,"
                    + " so the curves cannot be separated, and treating every time point as independent would overstate the evidence.";
            return null;
        }
        var curves = Curves.curves(rows);
        var areas = Curves.areas(curves);
        var timeUnit = Observations.timeUnit(s.time());
        d.unit = "the area under each `" + s.replicate().name() + "`'s `" + s.measure().name() + "` curve (trapezoid rule, " + s.time().name() + " "
                + Format.num(areas.from()) + " to " + Format.num(areas.to()) + ", time in " + timeUnit + "): one number per replicate";
        d.caveats.add("Repeated measures: the time points of one " + s.replicate().name() + " are not independent, so each " + s.replicate().name()
                + "'s curve was reduced to its area under the curve and those areas were compared (n = replicates, not time points). The area"
                + " sums lag, rate and yield in one number; it was chosen because it needs no choice of an exponential phase.");
        var out = new LinkedHashMap<String, double[]>();
        var points = new ArrayList<Chart.Point>();
        int thin = 0;
        for (var g : s.groups()) {
            var units = areas.units().stream().filter(u -> u.group().equals(g) && u.points() >= 2).toList();
            thin += (int) areas.units().stream().filter(u -> u.group().equals(g) && u.points() < 2).count();
            out.put(g, units.stream().mapToDouble(Curves.Unit::value).toArray());
            units.forEach(u -> points.add(new Chart.Point(g, u.replicate(), u.value())));
        }
        if (thin > 0) d.caveats.add(thin + " replicate curve(s) had fewer than two time points in the common range and were left out.");
        var curvePoints = new ArrayList<Chart.CurvePoint>();
        for (var g : s.groups()) {
            var reps = curves.getOrDefault(g, Map.of());
            var times = new TreeSet<Double>();
            reps.values().forEach(c -> times.addAll(c.keySet()));
            for (var t : times) {
                var at = reps.values().stream().map(c -> c.get(t)).filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
                var sum = GroupSummary.of(g, at);
                curvePoints.add(new Chart.CurvePoint(g, t, sum.n(), sum.mean(), sum.ciLow(), sum.ciHigh()));
            }
        }
        d.chart = new Chart("area under the " + s.measure().name() + " curve", timeUnit, points, curvePoints);
        return out;
    }

    /** Without time: one observation per row, or per replicate (its rows averaged) when a replicate column repeats. */
    private Map<String, double[]> rowsOrReplicates(Draft d, List<Observation> rows) {
        var s = d.selection;
        var out = new LinkedHashMap<String, double[]>();
        var points = new ArrayList<Chart.Point>();
        boolean repeated = s.replicate() != null && rows.stream().collect(Collectors.groupingBy(o -> o.group() + "\u0000" + o.replicate(), Collectors.counting()))
                .values().stream().anyMatch(n -> n > 1);
        if (repeated) {
            d.unit = "the mean `" + s.measure().name() + "` of each `" + s.replicate().name() + "` (its rows averaged: repeated readings of one replicate are not independent)";
            for (var g : s.groups()) {
                var means = new TreeMap<String, double[]>();
                rows.stream().filter(o -> o.group().equals(g)).forEach(o -> means.merge(String.valueOf(o.replicate()), new double[] {o.value(), 1},
                        (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]}));
                means.forEach((r, m) -> points.add(new Chart.Point(g, r, m[0] / m[1])));
                out.put(g, means.values().stream().mapToDouble(m -> m[0] / m[1]).toArray());
            }
        } else {
            d.unit = "one row of `" + s.frame().name() + "` (its `" + s.measure().name() + "` value)";
            for (var g : s.groups()) {
                var v = rows.stream().filter(o -> o.group().equals(g)).toList();
                v.forEach(o -> points.add(new Chart.Point(g, o.replicate(), o.value())));
                out.put(g, v.stream().mapToDouble(Observation::value).toArray());
            }
        }
        d.chart = new Chart(s.measure().name(), null, points, List.of());
        return out;
    }

    private static void caveatsTwo(Draft d, Comparison.TwoGroups c, List<GroupSummary> s) {
        small(d, s);
        var a = s.get(0);
        var b = s.get(1);
        double ratio = Math.max(a.sd() * a.sd(), b.sd() * b.sd()) / Math.max(1e-300, Math.min(a.sd() * a.sd(), b.sd() * b.sd()));
        if (ratio > 4)
            d.caveats.add("Unequal variances (sd " + Format.num(a.sd()) + " vs " + Format.num(b.sd()) + "): Welch's t-test was used because it does not assume them equal.");
        skewed(d, s, "Mann–Whitney U test (" + Format.p(c.mannWhitneyP()) + ")");
        if ((c.pTwoSided() < ALPHA) != (c.mannWhitneyP() < ALPHA))
            d.caveats.add("Welch's t-test (" + Format.p(c.pTwoSided()) + ") and the rank-based Mann–Whitney U test (" + Format.p(c.mannWhitneyP())
                    + ") disagree at 0.05: read the result with care.");
        if (c.pOneSided() != null)
            d.caveats.add("One-sided test in the claimed direction (" + c.alternative() + "): " + Format.p(c.pOneSided())
                    + "; the verdict uses the two-sided p, the stricter of the two.");
        if (d.claim.direction() == Direction.SAME)
            d.caveats.add("A difference that is not significant is not evidence that the groups are equal; showing equivalence needs a margin"
                    + " and an equivalence test (e.g. two one-sided tests), not done here.");
    }

    private static void caveatsMany(Draft d, Comparison.ManyGroups c, List<GroupSummary> s) {
        small(d, s);
        d.caveats.add("Multiple comparisons: with " + s.size() + " groups the omnibus tests say whether any group differs, not which;"
                + " pairwise comparisons would need a correction for multiple testing (not done here).");
        if (d.claim.directional())
            d.caveats.add("The claim's direction (\"" + d.claim.directionWord() + "\") is not tested among more than two groups: only whether they differ.");
        double max = s.stream().mapToDouble(g -> g.sd() * g.sd()).max().orElse(0), min = s.stream().mapToDouble(g -> g.sd() * g.sd()).min().orElse(0);
        if (max > 4 * min)
            d.caveats.add("Unequal variances (largest sd " + Format.num(Math.sqrt(max)) + ", smallest " + Format.num(Math.sqrt(min))
                    + "): one-way ANOVA assumes equal variances; the Kruskal–Wallis test does not.");
        skewed(d, s, "Kruskal–Wallis test (" + Format.p(c.kruskalWallisP()) + ")");
        if ((c.anovaP() < ALPHA) != (c.kruskalWallisP() < ALPHA))
            d.caveats.add("ANOVA (" + Format.p(c.anovaP()) + ") and Kruskal–Wallis (" + Format.p(c.kruskalWallisP()) + ") disagree at 0.05: read the result with care.");
    }

    private static void small(Draft d, List<GroupSummary> s) {
        var small = s.stream().filter(g -> g.n() < SMALL).map(g -> "`" + g.group() + "` n = " + g.n()).toList();
        if (!small.isEmpty())
            d.caveats.add("Small samples (" + String.join(", ", small) + "): the test has little power to detect a difference and the intervals are wide.");
    }

    private static void skewed(Draft d, List<GroupSummary> s, String rankTest) {
        var skewed = s.stream().filter(g -> g.n() >= 8 && g.skewness() != null && Math.abs(g.skewness()) > 1)
                .map(g -> "`" + g.group() + "` skewness " + Format.num(g.skewness())).toList();
        if (!skewed.isEmpty())
            d.caveats.add("Skewed values (" + String.join(", ", skewed) + "): the t-based test and intervals assume roughly normal means;"
                    + " the rank-based " + rankTest + " does not.");
    }

    private static HypothesisReport verdictTwo(Draft d, Comparison.TwoGroups c) {
        var a = d.summaries.get(0);
        var b = d.summaries.get(1);
        var what = d.selection.measure().name() + (d.selection.time() != null ? " (area under the curve)" : "");
        var numbers = "mean " + what + " of `" + a.group() + "` " + Format.num(a.mean()) + " vs `" + b.group() + "` " + Format.num(b.mean())
                + ", difference " + Format.num(c.meanDifference()) + " (95 % CI " + Format.num(c.differenceCiLow()) + " to " + Format.num(c.differenceCiHigh())
                + "); Welch's t = " + Format.num(c.t()) + ", df = " + Format.num(c.df()) + ", " + Format.p(c.pTwoSided()) + " (two-sided); Hedges' g = "
                + Format.num(c.hedgesG());
        boolean significant = c.pTwoSided() < ALPHA;
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

    private static HypothesisReport verdictMany(Draft d, Comparison.ManyGroups c) {
        var numbers = "one-way ANOVA F(" + c.dfBetween() + ", " + c.dfWithin() + ") = " + Format.num(c.f()) + ", " + Format.p(c.anovaP()) + ", eta² = "
                + Format.num(c.etaSquared()) + "; Kruskal–Wallis H = " + Format.num(c.kruskalWallisH()) + ", df = " + c.kruskalWallisDf() + ", "
                + Format.p(c.kruskalWallisP());
        boolean significant = c.anovaP() < ALPHA;
        if (d.claim.direction() == Direction.SAME)
            return significant ? d.done(Verdict.NOT_SUPPORTED, "Not supported: the " + d.summaries.size() + " groups differ significantly: " + numbers + ".")
                    : d.done(Verdict.SUPPORTED, "Supported, in the weak sense that no significant difference was found (which does not show the groups equal): " + numbers + ".");
        return significant ? d.done(Verdict.SUPPORTED, "Supported: the means of the " + d.summaries.size() + " groups differ significantly: " + numbers + ".")
                : d.done(Verdict.NOT_SUPPORTED, "Not supported: no significant difference among the " + d.summaries.size() + " groups: " + numbers + ".");
    }

    /** Why the best table cannot be tested, with what the tables do hold so the researcher can name it. */
    private static String missing(Selection best, List<Selection> ranked) {
        var why = new ArrayList<String>();
        if (best.group() == null) {
            var categorical = ranked.stream().flatMap(s -> s.frame().columns().stream()
                    .filter(c -> c.levels().size() >= 2 && c.levels().size() <= 20 && !c.numeric())
                    .map(c -> "`" + c.name() + "` in `" + s.frame().name() + "` (" + String.join(", ", c.levels().stream().limit(5).toList())
                            + (c.levels().size() > 5 ? ", …" : "") + ")")).limit(4).toList();
            why.add("no grouping column was found: the text names no two values of one column (nor a column's name)"
                    + (categorical.isEmpty() ? ", and no table has a column of a few categories" : "; columns that could group are " + String.join(", ", categorical)));
        }
        if (best.measure() == null) {
            var numeric = best.frame().columns().stream().filter(c -> c.numeric() && c != best.time()).map(c -> "`" + c.name() + "`").limit(8).toList();
            why.add("no measurement column matches the text's words" + (numeric.isEmpty() ? " (the table has no numeric column)"
                    : " (numeric columns of `" + best.frame().name() + "`: " + String.join(", ", numeric) + ")"));
        }
        return String.join("; ", why) + ".";
    }

    private static String roles(Selection s) {
        return s.matches().stream().map(m -> m.role() + " `" + m.column() + "`").collect(Collectors.joining(", "));
    }

    private static String describe(Selection s) {
        var f = s.frame();
        var text = new StringBuilder("`").append(f.name()).append("` (").append(f.rows()).append(" rows): ");
        text.append(s.matches().isEmpty() ? "nothing the text refers to" : roles(s));
        f.notes().forEach(n -> text.append("; ").append(n));
        return text.toString();
    }
}
