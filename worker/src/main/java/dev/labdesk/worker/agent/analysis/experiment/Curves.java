package dev.labdesk.worker.agent.analysis.experiment;

import java.util.NavigableMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A time course summarised per replicate: each replicate's curve (its values by time, repeated readings at one
 * time averaged) reduced to its area under the curve by the trapezoid rule, over the time range every replicate
 * covers, so that each replicate, not each time point, is one observation in the test.
 */
final class Curves {
    /** One replicate's summary. */
    record Unit(String group, String replicate, double value, int points) {}

    /** The time range all replicates cover, and the per-replicate areas over it. */
    record Summaries(double from, double to, List<Unit> units) {}

    private Curves() {}

    /** Each replicate's curve: group → replicate → time → mean value at that time. */
    static Map<String, Map<String, TreeMap<Double, Double>>> curves(List<Observation> rows) {
        var sums = new LinkedHashMap<String, Map<String, TreeMap<Double, double[]>>>();
        for (var o : rows)
            sums.computeIfAbsent(o.group(), g -> new LinkedHashMap<>()).computeIfAbsent(o.replicate(), r -> new TreeMap<>())
                    .merge(o.time(), new double[] {o.value(), 1}, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
        var out = new LinkedHashMap<String, Map<String, TreeMap<Double, Double>>>();
        sums.forEach((g, reps) -> {
            var m = new LinkedHashMap<String, TreeMap<Double, Double>>();
            reps.forEach((r, points) -> {
                var t = new TreeMap<Double, Double>();
                points.forEach((time, s) -> t.put(time, s[0] / s[1]));
                m.put(r, t);
            });
            out.put(g, m);
        });
        return out;
    }

    static Summaries areas(Map<String, Map<String, TreeMap<Double, Double>>> curves) {
        double from = Double.NEGATIVE_INFINITY, to = Double.POSITIVE_INFINITY;
        for (var reps : curves.values())
            for (var c : reps.values()) {
                from = Math.max(from, c.firstKey());
                to = Math.min(to, c.lastKey());
            }
        var units = new ArrayList<Unit>();
        for (var g : curves.entrySet())
            for (var r : g.getValue().entrySet()) {
                var window = r.getValue().subMap(from, true, to, true);
                units.add(new Unit(g.getKey(), r.getKey(), trapezoid(window), window.size()));
            }
        return new Summaries(from, to, units);
    }

    /** The area under a curve by the trapezoid rule: Σ (tᵢ₊₁ − tᵢ)(yᵢ + yᵢ₊₁)/2. */
    static double trapezoid(NavigableMap<Double, Double> curve) {
        double area = 0;
        Map.Entry<Double, Double> previous = null;
        for (var e : curve.entrySet()) {
            if (previous != null) area += (e.getKey() - previous.getKey()) * (e.getValue() + previous.getValue()) / 2;
            previous = e;
        }
        return area;
    }
}
