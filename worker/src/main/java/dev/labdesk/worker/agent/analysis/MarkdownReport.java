package dev.labdesk.worker.agent.analysis;

import java.util.stream.Collectors;

import dev.labdesk.model.ByteSizes;
import dev.labdesk.worker.agent.analysis.experiment.HypothesisMarkdown;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Renders a {@link Report} as Markdown for people: the experiment, the inventory, one section per table. */
final class MarkdownReport {
    // to the second, as people read a time; report.json keeps the exact instant
    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private static final int CELL = 60;

    private MarkdownReport() {}

    static String render(Report r) {
        var md = new StringBuilder(4096);
        var name = r.experiment() == null || r.experiment().name() == null ? "Dataset" : r.experiment().name();
        md.append("# ").append(line(name)).append(" — dataset report\n\n");
        if (r.experiment() != null) {
            field(md, "Description", r.experiment().description());
            field(md, "Goals", r.experiment().goals());
            field(md, "Hypothesis", r.experiment().hypothesis());
            if (!r.experiment().tags().isEmpty()) field(md, "Tags", String.join(", ", r.experiment().tags()));
        }
        md.append("Session `").append(r.sessionId()).append("`, generated ").append(GENERATED.format(r.generatedAt()))
                .append(" (mode: ").append(r.mode()).append(").\n\n");
        md.append("**").append(r.headline()).append(".**\n\n");
        if (r.narrative() != null) md.append("## Summary\n\n").append(r.narrative().strip()).append("\n\n");
        if (r.modelAnalysis() != null) ModelMarkdown.afterSummary(md, r.modelAnalysis());
        if (r.hypothesis() != null) HypothesisMarkdown.render(md, r.hypothesis());

        md.append("## Files\n\n| path | size | kind |\n|---|---:|---|\n");
        for (var f : r.files())
            md.append("| ").append(cell(f.path())).append(" | ").append(ByteSizes.human(f.size())).append(" | ")
                    .append(f.format().label()).append(" |\n");
        md.append('\n');

        for (var t : r.tables()) TableMarkdown.render(md, t, r.figures().stream().filter(f -> t.path().equals(f.table())).toList());
        var elsewhere = r.figures().stream().filter(f -> r.tables().stream().noneMatch(t -> t.path().equals(f.table()))).toList();
        if (!elsewhere.isEmpty()) {
            md.append("## Figures\n\n");
            for (var f : elsewhere) md.append(f.markdown()).append("\n\n");
        }

        if (!r.documents().isEmpty()) {
            md.append("## Documents (JSON that is not a table)\n\n");
            for (var d : r.documents())
                md.append("- `").append(line(d.path())).append("`: ").append(d.kind()).append(", top-level keys ")
                        .append(d.keys().stream().map(k -> "`" + line(k).replace("`", "'") + "`").collect(Collectors.joining(", "))).append('\n');
            md.append('\n');
        }

        if (!r.unreadable().isEmpty()) {
            md.append("## Files that could not be read\n\n");
            for (var u : r.unreadable())
                md.append("- `").append(line(u.path())).append("` (").append(u.format().label()).append("): ")
                        .append(line(u.reason())).append('\n');
            md.append('\n');
        }
        if (r.modelAnalysis() != null) ModelMarkdown.queries(md, r.modelAnalysis());
        return md.toString();
    }

    private static void field(StringBuilder md, String label, String value) {
        if (value != null && !value.isBlank()) md.append("**").append(label).append(":** ").append(line(value)).append("\n\n");
    }

    static String line(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    /** A table cell: one line, pipes escaped, long values cut. */
    static String cell(String s) {
        if (s == null) return "";
        var one = line(s).replace("|", "\\|");
        return one.length() > CELL ? one.substring(0, CELL - 1) + "…" : one;
    }
}
