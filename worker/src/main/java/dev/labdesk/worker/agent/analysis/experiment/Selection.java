package dev.labdesk.worker.agent.analysis.experiment;

import java.util.List;

/**
 * The columns of one table a hypothesis refers to; any may be null when not found. {@code groups} are the values
 * of {@code group} to compare, the first-named first (the claim is about it, against the second); {@code claimsPair}:
 * the hypothesis names exactly those two of them, and the others are the rest of the experiment, compared too.
 * {@code controls} are the group column's blank or medium values, left out of the comparison.
 */
record Selection(Frame frame, FrameColumn group, List<String> groups, boolean claimsPair, List<String> controls, FrameColumn measure,
                 FrameColumn time, FrameColumn replicate, List<Match> matches, int score) {
    Selection {
        groups = List.copyOf(groups);
        controls = List.copyOf(controls);
        matches = List.copyOf(matches);
    }

    boolean testable() {
        return group != null && measure != null && groups.size() >= 2;
    }

    /** Whether this table holds anything the hypothesis names. */
    boolean candidate() {
        return group != null || (measure != null && score >= ColumnMatcher.CONCEPT);
    }
}
