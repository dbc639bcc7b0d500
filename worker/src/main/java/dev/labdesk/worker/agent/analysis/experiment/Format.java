package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.Numbers;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Numbers as the Hypothesis section shows them: three significant figures, trailing zeros kept (7.80), but never fewer
 * than the whole number (12,345.6 is "12346", not a "12300" that reads as exact); whole numbers as they are; tiny values
 * in scientific notation; a p-value never as "0", and never rounded across 0.05 (0.04996 is not "0.05" beside "significant").
 */
public final class Format {
    private Format() {}

    public static String num(double v) {
        if (Double.isNaN(v)) return "–";
        if (!Double.isFinite(v)) return Double.toString(v);
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        if (Math.abs(v) >= 1000) return new BigDecimal(v).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
        if (Math.abs(v) < 1e-4) return String.format(Locale.ROOT, "%.2e", v);
        return new BigDecimal(v).round(new MathContext(3, RoundingMode.HALF_EVEN)).toPlainString(); // 7.80, not 7.8: three figures are three figures
    }

    public static String num(Double v) {
        return v == null ? "–" : num(v.doubleValue());
    }

    /** "p = 0.0312", "p < 0.001". */
    public static String p(double p) {
        var v = pValue(p);
        return v.startsWith("<") ? "p " + v : "p = " + v;
    }

    /** A p-value alone: "0.0312", "< 0.001"; as many figures as it takes to stay on its side of 0.05. */
    public static String pValue(double p) {
        if (Double.isNaN(p)) return "–";
        if (p < 0.001) return "< 0.001";
        for (int digits = 3; digits <= 6; digits++) {
            var shown = Numbers.significant(p, digits);
            if ((Double.parseDouble(shown) < HypothesisTest.ALPHA) == (p < HypothesisTest.ALPHA)) return shown;
        }
        return p < HypothesisTest.ALPHA ? "< 0.05" : Numbers.significant(p, 6);
    }
}
