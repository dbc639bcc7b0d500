package dev.labdesk.worker.agent.analysis;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The scale a numeric column's numbers are shown in: from its type, and from its values as the table writes them. */
public final class ColumnScale {
    private static final Pattern INTEGER = Pattern.compile("U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)");
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\(\\d+,\\s*(\\d+)\\)");

    private ColumnScale() {}

    /** @param sample the table's first rows as written: "0.050" says the column has three decimals where its min "0.05" does not */
    public static Numbers.Scale of(TableProfile.Column c, List<Map<String, String>> sample) {
        var type = c.type() == null ? "" : c.type().strip();
        var decimal = DECIMAL.matcher(type);
        if (decimal.matches()) return Numbers.Scale.fixed(Integer.parseInt(decimal.group(1)));
        var written = sample.stream().map(r -> r.get(c.name())).filter(Objects::nonNull).toList();
        var computed = Stream.of(c.min(), c.max()).filter(Objects::nonNull).toList();
        return Numbers.Scale.ofValues(INTEGER.matcher(type).matches(), written, computed);
    }
}
