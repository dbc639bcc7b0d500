package dev.labdesk.worker.agent.analysis.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds, table by table, the columns a hypothesis refers to: the grouping column by the values it names
 * (the distinct values of a low-cardinality column appearing as words: "wt", "dlacZ") or by its name; the
 * measure by its name or through the kind of measurement the words call up ("grows" → OD600); a time column
 * and a replicate column (a well, a culture) by their names. The best table is the one that names most.
 */
final class ColumnMatcher {
    static final int NAMED = 3, CONCEPT = 2, ONLY = 1;
    /** More groups than this in one column is not an experiment's set of strains or treatments but a list of samples. */
    static final int MAX_GROUPS = 12;

    private ColumnMatcher() {}

    /** Every table's selection, best first. */
    static List<Selection> rank(Claim claim, List<Frame> frames) {
        return frames.stream().map(f -> select(claim, f))
                .sorted(Comparator.comparingInt(Selection::score).reversed().thenComparing(s -> -s.frame().rows()))
                .toList();
    }

    static Selection select(Claim claim, Frame f) {
        var matches = new ArrayList<Match>();
        FrameColumn time = f.columns().stream().filter(ColumnMatcher::timeLike).findFirst().orElse(null);
        if (time != null)
            matches.add(new Match("time", time.name(), "its name says time (" + (time.numeric() ? "numbers" : time.duration() ? "h:mm:ss durations" : "dates and times") + ")"));

        FrameColumn group = null;
        List<String> groups = List.of(), controls = List.of();
        List<Selection.Claimed> claimed = List.of();
        String groupReason = null;
        int groupScore = 0;
        for (var c : f.columns()) {
            if (c == time || c.levels().size() < 2) continue;
            var named = namedLevels(claim.hypothesis(), c);
            if (named.size() < 2) for (var v : namedLevels(claim.text(), c)) if (!named.contains(v)) named.add(v);
            referenceLast(claim.hypothesis(), claim.directionWord(), named);
            if (c.numeric() && named.size() < 2) continue; // a number in the text is a group only when it names two levels
            boolean columnNamed = named(c.name(), claim);
            var unnamedControls = Controls.in(c.levels()).stream().filter(v -> !named.contains(v)).toList();
            var others = c.levels().stream().filter(v -> !named.contains(v) && !unnamedControls.contains(v)).toList();
            List<String> chosen;
            String reason;
            List<Selection.Claimed> pairs = List.of();
            var sides = named.size() >= 3 ? sides(claim, named) : null;
            if (named.size() == 2 && !others.isEmpty() && others.size() + 2 <= MAX_GROUPS) {
                chosen = new ArrayList<>(named);
                chosen.addAll(others);
                pairs = List.of(new Selection.Claimed(named.get(0), named.get(1)));
                reason = "the hypothesis names its values " + quoted(named) + "; its other " + (others.size() == 1 ? "value " : "values ") + quoted(others)
                        + (others.size() == 1 ? " is" : " are") + " compared too, as the rest of the experiment";
            } else if (sides != null && named.size() + others.size() <= MAX_GROUPS) {
                chosen = new ArrayList<>(sides.getFirst());
                chosen.addAll(sides.getLast());
                chosen.addAll(others);
                var claimedPairs = new ArrayList<Selection.Claimed>();
                for (var a : sides.getFirst()) for (var b : sides.getLast()) claimedPairs.add(new Selection.Claimed(a, b));
                pairs = claimedPairs;
                reason = "the hypothesis names its values " + quoted(named) + ", " + quoted(sides.getFirst()) + " before \"" + claim.directionWord() + "\" and "
                        + quoted(sides.getLast()) + " after it" + (others.isEmpty() ? "" : "; its other " + (others.size() == 1 ? "value " : "values ")
                        + quoted(others) + (others.size() == 1 ? " is" : " are") + " compared too");
            } else if (named.size() >= 2) {
                chosen = named;
                reason = "the hypothesis names its values " + quoted(named);
            } else if (named.size() == 1 && others.size() == 1) {
                var other = others.getFirst();
                chosen = List.of(named.getFirst(), other);
                reason = "the hypothesis names its value `" + named.getFirst() + "`; its only other value, `" + other + "`, is the comparison";
            } else if (columnNamed && others.size() >= 2 && others.size() <= 10) {
                chosen = others;
                reason = "the hypothesis names the column; all its " + others.size() + " values are compared";
            } else continue;
            int score = named.size() * 2 + (columnNamed ? 1 : 0);
            if (score > groupScore) {
                group = c;
                groups = chosen;
                claimed = pairs;
                controls = unnamedControls;
                groupReason = reason + (unnamedControls.isEmpty() ? "" : "; " + quoted(unnamedControls) + " " + (unnamedControls.size() == 1 ? "is a control" : "are controls")
                        + " (blank or medium), not a group, and left out");
                groupScore = score;
            }
        }
        if (group != null) matches.add(new Match("group", group.name(), groupReason));

        FrameColumn replicate = null;
        for (var c : f.columns()) {
            if (c == time || c == group || c.numeric()) continue;
            if (Vocabulary.REPLICATE_COLUMN.matcher(Words.compact(c.name())).matches() && c.distinct() > groups.size()) {
                replicate = c;
                matches.add(new Match("replicate", c.name(), "its name says it identifies a replicate (" + c.distinct() + " distinct values)"));
                break;
            }
        }

        FrameColumn measure = null;
        int measureScore = 0;
        String measureReason = null;
        var numeric = new ArrayList<FrameColumn>();
        for (var c : f.columns()) {
            if (c == time || c == group || c == replicate || !c.numeric()) continue;
            if (Vocabulary.REPLICATE_COLUMN.matcher(Words.compact(c.name())).matches()) continue;
            numeric.add(c);
            int score = 0;
            String reason = null;
            if (named(c.name(), claim)) {
                score = NAMED;
                reason = "the text names it";
            } else {
                for (var e : claim.measures().entrySet()) {
                    var concept = Vocabulary.MEASURES.stream().filter(x -> x.name().equals(e.getKey())).findFirst().orElseThrow();
                    if (recordsConcept(c.name(), concept)) {
                        score = CONCEPT;
                        reason = "\"" + e.getValue() + "\" refers to " + concept.name() + ", which a column named `" + c.name() + "` records";
                        break;
                    }
                }
            }
            if (score > measureScore) {
                measure = c;
                measureScore = score;
                measureReason = reason;
            }
        }
        if (measure == null && numeric.size() == 1) {
            measure = numeric.getFirst();
            measureScore = ONLY;
            measureReason = "it is the table's only numeric column besides time and replicate (the hypothesis names no measure this table has)";
        }
        if (measure != null) matches.add(new Match("measure", measure.name(), measureReason));
        var within = new ArrayList<Selection.Within>();
        if (group != null)
            for (var c : f.columns()) {
                if (c == group || c == time || c == replicate || c == measure || !factor(c)) continue;
                var named = namedLevels(claim.text(), c);
                final var compared = groups;
                if (named.size() != 1 || compared.stream().anyMatch(g -> g.equalsIgnoreCase(named.getFirst()))) continue;
                within.add(new Selection.Within(c, named.getFirst()));
                matches.add(new Match("within", c.name(), "the text names its value `" + named.getFirst() + "`: only those rows are compared"));
            }
        int score = (group != null ? 100 + groupScore : 0) + measureScore * 10 + (time != null ? 1 : 0);
        return new Selection(f, group, groups, claimed, controls, within, measure, time, replicate, matches, score);
    }

    /**
     * A directional claim about three or more named groups split at its direction word: those named before it against
     * those named after ("wt grows faster than dlacZ and dptsG"); null when the hypothesis names them all on one side.
     */
    private static List<List<String>> sides(Claim claim, List<String> named) {
        if (!claim.directional() || claim.directionWord() == null) return null;
        var at = Words.find(claim.hypothesis(), claim.directionWord());
        if (at.isEmpty()) return null;
        var before = new ArrayList<String>();
        var after = new ArrayList<String>();
        for (var v : named) {
            var where = Words.find(claim.hypothesis(), v);
            if (where.isEmpty()) return null;
            (where.getAsInt() < at.getAsInt() && !reference(claim.hypothesis(), v) ? before : after).add(v);
        }
        return before.isEmpty() || after.isEmpty() ? null : List.of(before, after);
    }

    private static final Pattern REFERENCE = Pattern.compile(
            "(?:^|[^\\p{L}\\p{N}_])(?:compared (?:to|with)|relative to|in comparison (?:to|with)|versus|vs\\.?|against|than)"
                    + "(?:\\s+(?:the|a|an))?(?:\\s+(?:strain|strains|group|groups|condition|control))?\\s*$");

    /**
     * Puts the values a reference phrase introduces before the direction word last, keeping the others' order:
     * "compared to wt, dlacZ grows slower" claims dlacZ against wt although wt is named first. After the direction
     * word ("dlacZ grows slower than wt") the order already says it.
     */
    static void referenceLast(String hypothesis, String directionWord, List<String> named) {
        var direction = directionWord == null ? OptionalInt.empty() : Words.find(hypothesis, directionWord);
        var references = named.stream().filter(v -> reference(hypothesis, v)
                && (direction.isEmpty() || Words.find(hypothesis, v).orElse(Integer.MAX_VALUE) < direction.getAsInt())).toList();
        if (references.isEmpty() || references.size() == named.size()) return;
        named.removeAll(references);
        named.addAll(references);
    }

    /** Whether the hypothesis names {@code value} right after "than", "compared to", "versus" and the like. */
    static boolean reference(String hypothesis, String value) {
        var at = Words.find(hypothesis, value);
        if (at.isEmpty()) return false;
        var before = hypothesis.substring(0, at.getAsInt()).toLowerCase(Locale.ROOT);
        return REFERENCE.matcher(before).find();
    }

    /** A column that could be another factor of the experiment: a few values, each repeated, not a replicate's name nor time. */
    static boolean factor(FrameColumn c) {
        return c.levels().size() >= 2 && c.levels().size() <= MAX_GROUPS && c.distinct() * 2 <= c.values()
                && !Vocabulary.REPLICATE_COLUMN.matcher(Words.compact(c.name())).matches() && !timeLike(c);
    }

    static boolean timeLike(FrameColumn c) {
        return Vocabulary.TIME_COLUMN.matcher(Words.compact(c.name())).matches() && (c.numeric() || c.duration() || c.timestamp());
    }

    /** Whether a column's name (or one of its words) is one the concept records: "OD600" and "od_600" for growth. */
    static boolean recordsConcept(String column, Vocabulary.Concept concept) {
        if (concept.columns().matcher(Words.compact(column)).matches()) return true;
        for (var p : Words.parts(column)) if (concept.columns().matcher(p).matches()) return true;
        return false;
    }

    /** A column named in the text: by its name (underscores, case and plural aside) or its words as a phrase. */
    static boolean named(String column, Claim claim) {
        var compact = Words.compact(column);
        if (compact.length() < 2) return false;
        for (var w : claim.words()) {
            var cw = w.replaceAll("[^\\p{L}\\p{N}]", "");
            if (cw.equals(compact) || Words.singular(cw).equals(Words.singular(compact))) return true;
        }
        var parts = Words.parts(column);
        return parts.size() > 1 && Words.find(claim.text(), String.join(" ", parts)).isPresent();
    }

    /** The column's values that the text names as words, in the order the text names them. */
    private static List<String> namedLevels(String text, FrameColumn c) {
        record At(String value, int at) {}
        var found = new ArrayList<At>();
        for (var v : c.levels()) {
            if (v.strip().length() < 2) continue;
            var at = Words.find(text, v);
            if (at.isPresent()) found.add(new At(v, at.getAsInt()));
        }
        return found.stream().sorted(Comparator.comparingInt(At::at)).map(At::value).collect(Collectors.toCollection(ArrayList::new));
    }

    static String quoted(List<String> values) {
        var q = values.stream().map(v -> "`" + v + "`").toList();
        return q.size() <= 2 ? String.join(" and ", q) : String.join(", ", q.subList(0, q.size() - 1)) + " and " + q.getLast();
    }
}
