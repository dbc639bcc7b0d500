package dev.labdesk.worker.agent.analysis;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers for people: "1 row", "4 rows"; 0.19333333 → "0.1933", 4.5 → "4.5". */
public final class Numbers {
    private Numbers() {}

    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    public static String significant(double v, int digits) {
        if (!Double.isFinite(v)) return Double.toString(v);
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }
}
