package dev.labdesk.model;

import java.util.List;

/**
 * What the analysis agent found, in short: the {@code result} event carries it, the full report
 * lives in the volume as {@code results/report.md} and {@code results/report.json}.
 */
public record ReportSummary(int files, long bytes, int tables, long rows, List<String> tableNames,
                            List<String> unreadable, String headline, String mode) {
    public ReportSummary {
        tableNames = tableNames == null ? List.of() : List.copyOf(tableNames);
        unreadable = unreadable == null ? List.of() : List.copyOf(unreadable);
    }
}
