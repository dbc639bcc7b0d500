package dev.labdesk.worker.agent.analysis;

import java.util.List;
import java.util.Map;

/**
 * What DuckDB found in one table file. {@code nulls} and {@code rows} are exact; {@code approxDistinct}
 * is SUMMARIZE's HyperLogLog estimate; {@code mean} is set for numeric columns only.
 */
public record TableProfile(String path, FileFormat format, long rows, List<Column> columns,
                           List<Map<String, String>> sample) {
    public record Column(String name, String type, long nulls, String min, String max, Double mean, Long approxDistinct) {}

    public TableProfile {
        columns = List.copyOf(columns);
        sample = List.copyOf(sample);
    }
}
