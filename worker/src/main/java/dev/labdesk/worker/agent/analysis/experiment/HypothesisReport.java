package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.figures.Figure;

import java.util.List;

/**
 * The report's answer to the researcher's hypothesis, computed offline: what was read from it ({@code direction},
 * the {@code matches} and why), the table and columns tested, what one observation is ({@code unit}), each group's
 * numbers, the test, the verdict with its one-sentence {@code conclusion}, and the caveats. Fields are null when
 * the step they belong to was not reached (a hypothesis that cannot be tested has no comparison). {@code figures} are drawn
 * from {@code chart}, which holds their numbers.
 */
public record HypothesisReport(String hypothesis, String goals, Verdict verdict, String conclusion, Direction direction, String directionWord,
                               String table, String groupColumn, List<String> groups, String measure, String timeColumn, String replicateColumn,
                               String unit, List<Match> matches, List<GroupSummary> groupSummaries, Comparison comparison,
                               List<String> caveats, List<String> tablesLookedAt, Chart chart, List<Figure> figures) {
    public HypothesisReport {
        groups = groups == null ? List.of() : List.copyOf(groups);
        matches = List.copyOf(matches);
        groupSummaries = List.copyOf(groupSummaries);
        caveats = List.copyOf(caveats);
        tablesLookedAt = List.copyOf(tablesLookedAt);
        figures = figures == null ? List.of() : List.copyOf(figures);
    }

    public HypothesisReport withFigures(List<Figure> paths) {
        return new HypothesisReport(hypothesis, goals, verdict, conclusion, direction, directionWord, table, groupColumn, groups, measure, timeColumn,
                replicateColumn, unit, matches, groupSummaries, comparison, caveats, tablesLookedAt, chart, paths);
    }
}
