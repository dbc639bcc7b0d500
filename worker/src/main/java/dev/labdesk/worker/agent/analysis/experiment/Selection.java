package dev.labdesk.worker.agent.analysis.experiment;

import java.util.List;

/**
 * The columns of one table a hypothesis refers to; any may be null when not found. {@code groups} are the values
 * of {@code group} to compare, the first-named first (the claim is about it, against the second); {@code claimsPair}:
 * the hypothesis names exactly those two of them, and the others are the rest of the experiment, compared too.
 * {@code controls} are the group column's blank or medium values, left out of the comparison; {@code within} the rows
 * of another factor the text names one value of ("in LB"), the only rows compared.
 */
record Selection(Frame frame, FrameColumn group, List<String> groups, boolean claimsPair, List<String> controls, List<Within> within,
                 FrameColumn measure, FrameColumn time, FrameColumn replicate, List<Match> matches, int score) {
    Selection {
        groups = List.copyOf(groups);
        controls = List.copyOf(controls);
        within = List.copyOf(within);
        matches = List.copyOf(matches);
    }

    /** Only the rows whose {@code column} is {@code value}. */
    record Within(FrameColumn column, String value) {}

    /** This selection without some of its groups (ones the hypothesis does not name). */
    Selection without(List<String> dropped) {
        var kept = groups.stream().filter(g -> !dropped.contains(g)).toList();
        return new Selection(frame, group, kept, claimsPair && kept.size() > 2, controls, within, measure, time, replicate, matches, score);
    }

    boolean testable() {
        return group != null && measure != null && groups.size() >= 2;
    }

    /** Whether this table holds anything the hypothesis names. */
    boolean candidate() {
        return group != null || (measure != null && score >= ColumnMatcher.CONCEPT);
    }
}
