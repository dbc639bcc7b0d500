package dev.labdesk.worker.agent.analysis.progress;

/**
 * The parts of one table's profile, in order, with the share of its time each usually takes
 * (typing every text value dominates a CSV's profile), so a table's bar moves evenly enough.
 */
public enum ProfileStage {
    READING("reading the file", 0.00),
    TYPING("recognising column types", 0.15),
    STATISTICS("computing column statistics", 0.60),
    RELATIONS("looking for duplicate rows and correlations", 0.80);

    private final String label;
    private final double start;

    ProfileStage(String label, double start) {
        this.label = label;
        this.start = start;
    }

    public String label() {
        return label;
    }

    /** Where this stage starts in its table's share of the bar, 0–1. */
    double start() {
        return start;
    }

    /** Where it ends: the next stage's start, or the whole table. */
    double end() {
        var all = values();
        return ordinal() + 1 < all.length ? all[ordinal() + 1].start : 1.0;
    }
}
