package dev.labdesk.worker.agent.analysis.experiment;

import java.util.List;

/**
 * The columns of one table a hypothesis refers to; any may be null when not found. {@code groups} are the values
 * of {@code group} to compare, the first-named first (the claim is about it, against the second); {@code claimed}: among more
 * than two groups, the pairs the hypothesis makes its claim about (the others are the rest of the experiment, compared too).
 * {@code controls} are the group column's blank or medium values, left out of the comparison; {@code within} the rows
 * of another factor the text names one value of ("in LB"), the only rows compared.
 */
record Selection(Frame frame, FrameColumn group, List<String> groups, List<Claimed> claimed, List<String> controls, List<Within> within,
                 FrameColumn measure, FrameColumn time, FrameColumn replicate, List<Match> matches, int score) {
    Selection {
        groups = List.copyOf(groups);
        claimed = List.copyOf(claimed);
        controls = List.copyOf(controls);
        within = List.copyOf(within);
        matches = List.copyOf(matches);
    }

    /** A claim of {@code first} against {@code second}, in the hypothesis's direction; {@code first} comes before {@code second} in {@code groups}. */
    record Claimed(String first, String second) {}

    /** Only the rows whose {@code column} is {@code value}. */
    record Within(FrameColumn column, String value) {}

    /** Whether the hypothesis names {@code g} in a claimed pair. */
    boolean claims(String g) {
        return claimed.stream().anyMatch(c -> c.first().equals(g) || c.second().equals(g));
    }

    /** This selection without some of its groups (ones the hypothesis does not name). */
    Selection without(List<String> dropped) {
        var kept = groups.stream().filter(g -> !dropped.contains(g)).toList();
        return new Selection(frame, group, kept, claimed, controls, within, measure, time, replicate, matches, score);
    }

    boolean testable() {
        return group != null && measure != null && groups.size() >= 2;
    }

    /** Whether this table holds anything the hypothesis names. */
    boolean candidate() {
        return group != null || (measure != null && score >= ColumnMatcher.CONCEPT);
    }
}
