package dev.labdesk.worker.agent.analysis.experiment;

import java.util.ArrayList;
import java.util.List;

/** Everything the Hypothesis section needs, built up step by step by {@link HypothesisTest}, then turned into the report. */
final class Draft {
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
