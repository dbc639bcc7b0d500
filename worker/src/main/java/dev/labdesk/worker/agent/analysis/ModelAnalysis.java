package dev.labdesk.worker.agent.analysis;

import dev.labdesk.worker.agent.analysis.figures.Figure;

import java.util.List;

/**
 * What a model wrote about the dataset and how: its {@code summary} and its reading of the hypothesis
 * ({@code hypothesis}, null when it wrote none), every query it ran (failed and refused ones too), the charts it drew, and the
 * numbers in its text that no query result, profile or offline analysis holds ({@code unverifiedNumbers}:
 * shown under a warning, not hidden).
 */
public record ModelAnalysis(String model, String summary, String hypothesis, List<Query> queries, List<Chart> charts, List<String> unverifiedNumbers) {

    /**
     * One query: {@code tool} is {@code query} or {@code chart}; {@code rows} the result's row count (null when it
     * failed), {@code shown} how many of them the model saw; {@code error} what DuckDB or the sandbox answered instead.
     */
    public record Query(int number, String tool, String sql, Long rows, int shown, long millis, String error) {}

    /** A chart the model asked for: the query it was drawn from, and the figure (its files and every number drawn). */
    public record Chart(String sql, Figure figure) {}

    public ModelAnalysis {
        queries = List.copyOf(queries);
        charts = List.copyOf(charts);
        unverifiedNumbers = List.copyOf(unverifiedNumbers);
    }
}
