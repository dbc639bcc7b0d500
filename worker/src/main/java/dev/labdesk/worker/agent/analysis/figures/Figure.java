package dev.labdesk.worker.agent.analysis.figures;

/**
 * One chart of the report, as {@code report.json} lists it: {@code svg} and {@code png} are paths
 * relative to {@code results/} (so {@code report.md}, which lives there, links them as they are);
 * {@code width} and {@code height} are the chart's size in CSS pixels (the PNG has {@link FigureFiles#PNG_SCALE}
 * times as many); {@code data} holds every number the chart draws. {@code table} and {@code column} say
 * what it is about (either may be null).
 */
public record Figure(String name, String kind, String title, String alt, String svg, String png, int width, int height,
                     String table, String column, FigureData data) {

    /** The Markdown that shows it: the PNG (every viewer renders it, JavaFX included), alt text on one line. */
    public String markdown() {
        return "![" + alt.replace('\n', ' ').replace('\r', ' ').replace("[", "(").replace("]", ")") + "](" + png + ")";
    }
}
