package dev.labdesk.worker.agent.analysis;

/** The model's part of report.md: its hypothesis section, the numbers it wrote that nothing holds, and the queries it ran. */
final class ModelMarkdown {
    private ModelMarkdown() {}

    /** After the summary: the model's reading of the hypothesis, then the warning about unverified numbers, if any. */
    static void afterSummary(StringBuilder md, ModelAnalysis m) {
        if (m.hypothesis() != null) md.append("## Hypothesis: the model's reading\n\n").append(m.hypothesis().strip()).append("\n\n");
        if (!m.unverifiedNumbers().isEmpty())
            md.append("> **Warning:** these numbers in the model's text were not found in any of its query results, the profile or the offline analysis: ")
                    .append(String.join(", ", m.unverifiedNumbers().stream().map(MarkdownReport::line).toList()))
                    .append(". Check them before relying on them.\n\n");
    }

    /** The appendix: every query in the order run, with its row count and time, or its error. */
    static void queries(StringBuilder md, ModelAnalysis m) {
        md.append("## Queries the model ran\n\n");
        if (m.queries().isEmpty()) {
            md.append("None.\n\n");
            return;
        }
        for (var q : m.queries()) {
            md.append("**").append(q.number()).append(".** ").append(q.tool().equals("chart") ? "for a chart, " : "");
            if (q.error() != null) md.append("failed after ").append(q.millis()).append(" ms: ").append(MarkdownReport.line(q.error()));
            else {
                md.append(Numbers.count(q.rows(), "row")).append(" in ").append(q.millis()).append(" ms");
                if (q.tool().equals("query") && q.shown() < q.rows()) md.append(" (").append(q.shown()).append(" shown to the model)");
            }
            var fence = fence(q.sql());
            md.append("\n\n").append(fence).append("sql\n").append(q.sql().strip()).append('\n').append(fence).append("\n\n");
        }
    }

    /** A code fence longer than any run of backticks in the text. */
    private static String fence(String text) {
        int longest = 0, run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }
}
