package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.Numbers;

/** Numbers as the Hypothesis section shows them: three significant figures; a p-value never as "0". */
public final class Format {
    private Format() {}

    public static String num(double v) {
        if (v == 0) return "0";
        return Numbers.significant(v, 3);
    }

    public static String num(Double v) {
        return v == null ? "–" : num(v.doubleValue());
    }

    /** "p = 0.0312", "p < 0.001". */
    public static String p(double p) {
        return p < 0.001 ? "p < 0.001" : "p = " + Numbers.significant(p, 3);
    }
}
