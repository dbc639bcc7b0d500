package dev.labdesk.worker.agent.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Every number {@code report.md} shows, by one set of rules: counts as integers; a computed statistic (mean, t, a
 * confidence bound) to three significant figures with its trailing zeros, never fewer than its whole digits; a p-value
 * never as 0 nor rounded across 0.05; a share, a correlation or a skewness never rounded onto a bound (0 %, 100 %, ±1, 0)
 * it does not reach; and a table column's values to one number of decimals ({@link Scale}).
 */
public final class Numbers {
    /** The significance level the hypothesis test uses, which no p-value is rounded across. */
    public static final double ALPHA = 0.05;
    private static final int FIGURES = 3;
    /** Below this, a number is written in scientific notation: 0.0000123 is read more easily as 1.23e-05. */
    private static final double TINY = 1e-4;

    private Numbers() {}

    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** {@code v} to {@code digits} significant digits, trailing zeros dropped (for prose and captions, not for tables). */
    public static String significant(double v, int digits) {
        if (!Double.isFinite(v)) return Double.toString(v);
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    /** A value of the data (a time point, a bound of a range): as it is, to six significant figures (12, 0.25), not a statistic's 12.0. */
    public static String value(double v) {
        return significant(v, 6);
    }

    /**
     * A computed statistic: three significant figures, trailing zeros kept (7.80, and 12.0 for a mean of 12), but never fewer
     * than the whole number (12,345.6 is "12346", not a "12300" that reads as exact); tiny values in scientific notation.
     */
    public static String statistic(double v) {
        if (Double.isNaN(v)) return "–";
        if (!Double.isFinite(v)) return Double.toString(v);
        if (v == 0) return "0";
        if (Math.abs(v) >= 1000) return new BigDecimal(v).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
        if (Math.abs(v) < TINY) return String.format(Locale.ROOT, "%." + (FIGURES - 1) + "e", v);
        return figures(v, FIGURES);
    }

    /** {@code v} to {@code n} significant figures, zeros included: 12 is "12.0", 0.5 "0.500". */
    private static String figures(double v, int n) {
        var r = new BigDecimal(v).round(new MathContext(n, RoundingMode.HALF_EVEN));
        return (r.precision() < n ? r.setScale(r.scale() + n - r.precision(), RoundingMode.UNNECESSARY) : r).toPlainString();
    }

    public static String statistic(Double v) {
        return v == null ? "–" : statistic(v.doubleValue());
    }

    /** "p = 0.0312", "p < 0.001". */
    public static String p(double p) {
        var v = pValue(p);
        return v.startsWith("<") ? "p " + v : "p = " + v;
    }

    /** A p-value alone: "0.0312", "0.480", "< 0.001"; as many figures as it takes to stay on its side of 0.05. */
    public static String pValue(double p) {
        if (Double.isNaN(p)) return "–";
        if (p < 0.001) return "< 0.001";
        for (int digits = FIGURES; digits <= 6; digits++) {
            var shown = figures(p, digits);
            if ((Double.parseDouble(shown) < ALPHA) == (p < ALPHA)) return shown;
        }
        return p < ALPHA ? "< 0.05" : significant(p, 6);
    }

    /** {@code part} of {@code whole} as "42.9 %"; a share that rounds to 0 or 100 without being it is "< 0.1 %" or "> 99.9 %". */
    public static String percent(long part, long whole) {
        if (whole <= 0) return "–";
        if (part == 0 || part == whole) return part == 0 ? "0 %" : "100 %";
        return share((double) part / whole);
    }

    /** A share of 0 to 1 as a percentage with one decimal, never rounded onto 0 % or 100 % it does not reach. */
    public static String share(double share) {
        if (share <= 0 || share >= 1) return share <= 0 ? "0 %" : "100 %";
        if (share < 0.0005) return "< 0.1 %";
        if (share >= 0.9995) return "> 99.9 %";
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    /** A coefficient (correlation, skewness): three decimals, more when three would round it onto −1, 0 or 1 it does not equal. */
    public static String coefficient(Double v) {
        if (v == null) return "";
        if (Double.isNaN(v)) return "–";
        if (!Double.isFinite(v)) return v.toString();
        for (int decimals = 3; decimals <= 6; decimals++) {
            var shown = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN);
            boolean onBound = shown.signum() == 0 || shown.abs().compareTo(BigDecimal.ONE) == 0;
            if (!onBound || shown.doubleValue() == v) {
                var s = shown.toPlainString();
                return s.startsWith("-") && shown.signum() == 0 ? s.substring(1) : s;
            }
        }
        if (Math.abs(v) < 0.5) return String.format(Locale.ROOT, "%.1e", v);
        return v > 0 ? "> 0.999999" : "< -0.999999";
    }

    /**
     * How one table column's numbers are written, so that every value in it has the same form: a number of decimals, or
     * (for columns of tiny or huge magnitude, or written so) scientific notation with a number of significant figures.
     */
    public sealed interface Scale {
        /** Most decimals a column is shown with: more is float noise of a computed column, and report.json has it whole. */
        int MAX_DECIMALS = 6;

        /** {@code decimals} places: 29.0, 0.050, 15. */
        record Fixed(int decimals) implements Scale {
            public Fixed {
                decimals = Math.clamp(decimals, 0, MAX_DECIMALS);
            }

            @Override
            public Scale finer(int more) {
                return new Fixed(decimals + more);
            }

            @Override
            public String finite(double v) {
                var s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
                return s.startsWith("-") && s.chars().noneMatch(c -> c >= '1' && c <= '9') ? s.substring(1) : s; // -0.00 is 0.00
            }

            boolean writesExactly(double v) {
                return Math.abs(new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue() - v) <= 1e-9 * Math.max(1, Math.abs(v));
            }
        }

        /** {@code figures} significant figures in scientific notation: 3.657e-09. */
        record Scientific(int figures) implements Scale {
            @Override
            public Scale finer(int more) {
                return new Scientific(figures + more);
            }

            @Override
            public String finite(double v) {
                return v == 0 ? "0" : String.format(Locale.ROOT, "%." + (figures - 1) + "e", v);
            }
        }

        static Scale fixed(int decimals) {
            return new Fixed(decimals);
        }

        /**
         * The scale of a column's values from their written forms (the table's own text: "0.050" has three decimals,
         * "29.0" one) and from values DuckDB computed ("29.0" for a whole double is a trailing zero, not precision);
         * integers when the column is of an integer type.
         */
        static Scale ofValues(boolean integerType, Collection<String> written, Collection<String> computed) {
            if (integerType) return new Fixed(0);
            var digits = new ArrayList<BigDecimal>();
            written.stream().map(Scale::decimal).filter(Objects::nonNull).forEach(digits::add);
            computed.stream().map(Scale::decimal).filter(Objects::nonNull).map(BigDecimal::stripTrailingZeros).forEach(digits::add);
            boolean exponent = Stream.concat(written.stream(), computed.stream()).filter(t -> decimal(t) != null).anyMatch(t -> t.toLowerCase(Locale.ROOT).contains("e"));
            double largest = digits.stream().mapToDouble(d -> Math.abs(d.doubleValue())).max().orElse(0);
            if (exponent || (largest > 0 && largest < TINY) || largest >= 1e15)
                return new Scientific(Math.clamp(digits.stream().mapToInt(d -> d.stripTrailingZeros().precision()).max().orElse(4), 2, 6));
            return new Fixed(digits.stream().mapToInt(d -> Math.max(0, d.scale())).max().orElse(0));
        }

        /** Decimals enough that each of {@code values} has {@code figures} significant figures (a table column of computed statistics). */
        static Scale ofStatistics(Collection<Double> values, int figures) {
            double smallest = values.stream().filter(Objects::nonNull).filter(Double::isFinite).filter(v -> v != 0).mapToDouble(Math::abs).min().orElse(1);
            if (smallest < TINY) return new Scientific(figures);
            return new Fixed(figures - 1 - (int) Math.floor(Math.log10(smallest)));
        }

        /** This scale with {@code more} decimals (or significant figures): for a statistic finer than the values it is computed from. */
        Scale finer(int more);

        /** A finite value in this scale. */
        String finite(double v);

        /** A value in this scale; NaN (a statistic that does not exist, as the t of two constant groups) as "–". */
        default String format(double v) {
            if (Double.isNaN(v)) return "–";
            return Double.isFinite(v) ? finite(v) : Double.toString(v);
        }

        default String format(Double v) {
            return v == null ? "" : format(v.doubleValue());
        }

        /** A value DuckDB gave as text (a min or max), in this scale; text that is not a number is shown as it is. */
        default String format(String text) {
            var d = decimal(text);
            return d == null ? (text == null ? "" : text) : format(d.doubleValue());
        }

        /** The fewest decimals from this scale's up to {@code more} beyond it at which every value is written exactly (else the most). */
        default Scale exact(Collection<Double> values, int more) {
            if (!(this instanceof Fixed)) return this;
            for (int k = 0; k < more; k++)
                if (finer(k) instanceof Fixed s && values.stream().filter(Objects::nonNull).filter(Double::isFinite).allMatch(s::writesExactly)) return s;
            return finer(more);
        }

        /** This scale, or a finer one, so that no nonzero value of {@code values} is written as 0 (a mean of 0.04 over integers is not "0.0"). */
        default Scale nonzero(Collection<Double> values) {
            if (!(this instanceof Fixed fixed)) return this;
            int decimals = fixed.decimals();
            for (var v : values)
                while (v != null && Double.isFinite(v) && v != 0 && decimals < MAX_DECIMALS && Math.abs(v) < 2 * Math.pow(10, -decimals)) decimals++;
            return new Fixed(decimals);
        }

        private static BigDecimal decimal(String s) {
            if (s == null || s.isBlank()) return null;
            try {
                return new BigDecimal(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
