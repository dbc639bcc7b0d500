package dev.labdesk.worker.agent.narrative;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks, loosely, that the numbers in the model's text come from somewhere: each must equal, at the
 * precision it is written with (or as a percentage), a value some query showed or a number of the
 * report's offline data (profile, offline analysis, counts of its lists). Words such as {@code OD600} or
 * {@code A1}, list markers, code and link targets are not numbers here.
 */
final class NumberCheck {
    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\p{L}\\p{N}_.])[-−]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?![\\p{L}_]|\\.\\d|,\\d{3})(\\s?%)?");
    private static final Pattern IGNORED = Pattern.compile("(?s)```.*?```|`[^`\\n]*`|\\]\\([^)\\s]*\\)|(?m)^\\s*\\d+[.)]\\s");

    private final double[] known;

    private NumberCheck(double[] known) {
        this.known = known;
        Arrays.sort(this.known);
    }

    /** From the values the queries showed and the report's data as JSON. */
    static NumberCheck of(List<Object> shown, JsonNode report) {
        var values = new ArrayList<Double>();
        for (var v : shown) add(values, v);
        walk(report, values);
        var out = new double[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = Math.abs(values.get(i));
        return new NumberCheck(out);
    }

    /** The numbers of {@code text}, as written, that match no known value; each once, in order. */
    List<String> unverified(String text) {
        var out = new LinkedHashSet<String>();
        var m = NUMBER.matcher(IGNORED.matcher(text).replaceAll(" "));
        while (m.find()) {
            var written = m.group().strip();
            boolean percent = m.group(1) != null;
            var digits = (percent ? written.substring(0, written.length() - 1).strip() : written).replace(",", "").replace('−', '-');
            var x = new BigDecimal(digits).abs();
            double tolerance = 0.5 * Math.pow(10, -Math.max(0, x.scale())) + 1e-12;
            double value = x.doubleValue();
            boolean found = near(value, tolerance) || (percent && near(value / 100, tolerance / 100));
            if (!found) out.add(written);
        }
        return List.copyOf(out);
    }

    private boolean near(double x, double tolerance) {
        int i = Arrays.binarySearch(known, x - tolerance);
        if (i < 0) i = -i - 1;
        return i < known.length && known[i] <= x + tolerance;
    }

    private static void walk(JsonNode node, List<Double> values) {
        if (node == null) return;
        if (node.isNumber()) values.add(node.doubleValue());
        else if (node.isTextual()) add(values, node.asText());
        else if (node.isArray()) {
            values.add((double) node.size());
            node.forEach(n -> walk(n, values));
        } else if (node.isObject()) node.forEach(n -> walk(n, values));
    }

    private static void add(List<Double> values, Object v) {
        switch (v) {
            case null -> {}
            case Number n -> values.add(n.doubleValue());
            case Boolean b -> {}
            default -> {
                var m = NUMBER.matcher(v.toString());
                while (m.find()) {
                    try {
                        values.add(Double.parseDouble(m.group().replace(",", "").replace("%", "").replace('−', '-').strip()));
                    } catch (NumberFormatException ignored) {
                        // not a number after all
                    }
                }
            }
        }
    }
}
