package dev.labdesk.worker.agent.analysis.figures;

import java.util.List;

/** The numbers behind a {@link Figure}, by kind of chart; {@code report.json} carries them as they are drawn. */
public sealed interface FigureData {

    /** A histogram: {@code edges} has one more entry than {@code counts}; {@code labels} are the edges as text (dates), or null. */
    record Bins(List<Double> edges, List<Long> counts, List<String> labels) implements FigureData {}

    /** A bar chart: one value per label, in the order drawn. */
    record Bars(List<String> labels, List<Double> values, String valueLabel) implements FigureData {}

    /** A square matrix (correlations): {@code values.get(i).get(j)} for labels i and j; null where there is no value. */
    record Matrix(String measure, List<String> labels, List<List<Double>> values) implements FigureData {}

    /** Lines or points: each series its own x and y of equal length. */
    record Lines(String xLabel, String yLabel, List<Series> series) implements FigureData {}

    record Series(String name, List<Double> x, List<Double> y) {}
}
