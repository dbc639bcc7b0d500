package dev.labdesk.worker.agent.analysis;

import java.util.ArrayList;

import dev.labdesk.model.ByteSizes;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.ReportSummary;
import dev.labdesk.worker.agent.analysis.experiment.HypothesisReport;
import dev.labdesk.worker.agent.analysis.figures.Figure;

import java.time.Instant;
import java.util.List;

/**
 * The analysis of one volume, as {@code results/report.json} holds it and {@code report.md} tells it;
 * {@code documents} are JSON files that are not tables; {@code narrative} is the model's summary (mode {@code llm}), null offline;
 * {@code figures} are the charts under {@code results/figures/}, each with the numbers it draws;
 * {@code modelAnalysis} how the model came to its summary (its queries, charts, hypothesis section), null offline;
 * {@code hypothesis} tests the researcher's hypothesis on the tables, offline (null when neither a hypothesis nor goals were given; its charts are its own).
 */
public record Report(String sessionId, ExperimentContext experiment, Instant generatedAt, String mode,
                     List<Inventory.Entry> files, List<TableProfile> tables, List<Document> documents, List<Unreadable> unreadable,
                     String narrative, List<Figure> figures, ModelAnalysis modelAnalysis, HypothesisReport hypothesis) {
    public Report {
        files = List.copyOf(files);
        tables = List.copyOf(tables);
        documents = List.copyOf(documents);
        unreadable = List.copyOf(unreadable);
        figures = List.copyOf(figures);
    }

    /** A report without figures yet (they are drawn last, see {@link #withFigures}). */
    public Report(String sessionId, ExperimentContext experiment, Instant generatedAt, String mode, List<Inventory.Entry> files,
                  List<TableProfile> tables, List<Document> documents, List<Unreadable> unreadable, String narrative) {
        this(sessionId, experiment, generatedAt, mode, files, tables, documents, unreadable, narrative, List.of(), null, null);
    }

    public Report withNarrative(String text) {
        return new Report(sessionId, experiment, generatedAt, "llm", files, tables, documents, unreadable, text, figures, modelAnalysis, hypothesis);
    }

    /** The model's summary as the narrative, and how it came to it. */
    public Report withModelAnalysis(ModelAnalysis analysis) {
        return new Report(sessionId, experiment, generatedAt, "llm", files, tables, documents, unreadable, analysis.summary(), figures, analysis, hypothesis);
    }

    /** This report with {@code more} figures after the ones it has. */
    public Report withFigures(List<Figure> more) {
        var all = new ArrayList<>(figures);
        all.addAll(more);
        return new Report(sessionId, experiment, generatedAt, mode, files, tables, documents, unreadable, narrative, all, modelAnalysis, hypothesis);
    }

    public Report withHypothesis(HypothesisReport h) {
        return new Report(sessionId, experiment, generatedAt, mode, files, tables, documents, unreadable, narrative, figures, modelAnalysis, h);
    }

    public long bytes() {
        return files.stream().mapToLong(Inventory.Entry::size).sum();
    }

    public long rows() {
        return tables.stream().mapToLong(TableProfile::rows).sum();
    }

    public String headline() {
        var text = new StringBuilder();
        text.append(Numbers.count(tables.size(), "table")).append(" with ").append(Numbers.count(rows(), "row"))
                .append(" in ").append(Numbers.count(files.size(), "file"))
                .append(" (").append(ByteSizes.human(bytes())).append(')');
        if (!documents.isEmpty()) text.append("; ").append(Numbers.count(documents.size(), "document"));
        if (!unreadable.isEmpty()) text.append("; ").append(unreadable.size()).append(" could not be read");
        return text.toString();
    }

    public ReportSummary summary() {
        return new ReportSummary(files.size(), bytes(), tables.size(), rows(),
                tables.stream().map(TableProfile::path).toList(), unreadable.stream().map(Unreadable::path).toList(),
                narrative == null ? headline() : firstSentence(narrative), mode);
    }

    /** The model's opening sentence (the prompt asks for one that sums the dataset up), short enough for a headline. */
    static String firstSentence(String text) {
        var first = text.strip().lines().findFirst().orElse("").strip();
        int end = first.indexOf(". ");
        if (end >= 0) first = first.substring(0, end + 1);
        return first.length() > 200 ? first.substring(0, 199) + "…" : first;
    }
}
