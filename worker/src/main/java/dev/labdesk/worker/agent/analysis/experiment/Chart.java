package dev.labdesk.worker.agent.analysis.experiment;

import java.util.List;

/**
 * Every number behind the hypothesis's charts: the observations compared (one per replicate for a time course),
 * and for a time course each group's mean with its 95 % t-interval at each time (null where fewer than two replicates).
 */
public record Chart(String valueLabel, String timeLabel, List<Point> points, List<CurvePoint> curves) {
    public Chart {
        points = List.copyOf(points);
        curves = List.copyOf(curves);
    }

    public record Point(String group, String replicate, double value) {}

    public record CurvePoint(String group, double time, int n, double mean, Double ciLow, Double ciHigh) {}
}
