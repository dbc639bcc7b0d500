package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.Numbers;
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
    static final double ALPHA = Numbers.ALPHA;

    private final Connection db;

    HypothesisTest(Connection db) {
        this.db = db;
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
        if (!best.controls().isEmpty()) {
            var counts = Observations.count(db, best, best.controls());
            var unit = best.replicate() == null ? "row" : best.replicate().name();
            d.caveats.add("Controls left out of the comparison: " + counts.entrySet().stream().map(e -> "`" + e.getKey() + "` (" + e.getValue() + " " + unit
                    + (e.getValue() == 1 ? "" : "s") + ")").collect(Collectors.joining(", ")) + " of `" + best.group().name() + "` name blank or medium-only samples, not a group.");
            if (best.time() != null)
                d.caveats.add("Readings were not blank-corrected (the " + best.group().name() + " has " + ColumnMatcher.quoted(best.controls())
                        + "): a constant background adds the same area to every curve, so it leaves the difference between groups unchanged but not their ratio.");
        }
        for (var f : OtherFactors.pooled(db, best))
            d.caveats.add("Pooled over `" + f.column() + "`: it takes " + f.values().size() + " values (" + ColumnMatcher.quoted(f.values())
                    + ") within the compared groups, and the test does not separate them, so a difference between groups may partly be one between them;"
                    + " to test within one, upload a table of its rows only.");
        var values = best.time() != null ? timeCourse(d, rows) : rowsOrReplicates(d, rows);
        if (values == null) {
            var why = d.unit;
            d.unit = null;
            return d.done(hypothesis ? Verdict.CANNOT_BE_TESTED : Verdict.NO_HYPOTHESIS, why);
        }

        var tested = best;
        if (!best.claimed().isEmpty()) { // a group the hypothesis does not name must not keep the named pairs from being tested
            var thin = best.groups().stream().filter(g -> !best.claims(g) && values.getOrDefault(g, new double[0]).length < 2).toList();
            if (!thin.isEmpty()) {
                tested = best.without(thin);
                d.selection = tested;
                d.caveats.add("Left out of the comparison: " + thin.stream().map(g -> "`" + g + "` (n = " + values.getOrDefault(g, new double[0]).length + ")")
                        .collect(Collectors.joining(", ")) + ", too few observations to estimate a spread; the hypothesis does not name "
                        + (thin.size() == 1 ? "it." : "them."));
            }
        }
        var summaries = new ArrayList<GroupSummary>();
        for (var g : tested.groups()) {
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

        var arrays = tested.groups().stream().map(values::get).toList();
        if (arrays.size() == 2) {
            var c = GroupTests.two(tested.groups().get(0), arrays.get(0), tested.groups().get(1), arrays.get(1), claim.direction());
            d.comparison = c;
            Caveats.two(d, c, summaries);
            return Verdicts.two(d, c);
        }
        var constant = tested.claimed().stream().filter(p -> sd(summaries, p.first()) == 0 && sd(summaries, p.second()) == 0)
                .map(p -> "`" + p.first() + "` and `" + p.second() + "`").toList();
        if (!constant.isEmpty())
            return d.done(Verdict.CANNOT_BE_TESTED, "Cannot be tested: the values do not vary within " + String.join(", nor within ", constant)
                    + " (both sd 0), so no test applies to the pair the hypothesis names.");
        var c = GroupTests.many(tested.groups(), arrays, tested.claimed());
        d.comparison = c;
        Caveats.many(d, c, summaries);
        return Verdicts.many(d, c);
    }

    private static double sd(List<GroupSummary> summaries, String group) {
        return summaries.stream().filter(s -> s.group().equals(group)).findFirst().orElseThrow().sd();
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
                + Numbers.value(areas.from()) + " to " + Numbers.value(areas.to()) + ", time in " + timeUnit + "): one number per replicate";
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
        d.chart = new Chart("area under the " + s.measure().name() + " curve (" + s.measure().name() + " × " + (s.time().numeric() ? s.time().name() : "h") + ")",
                timeUnit, points, curvePoints);
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
