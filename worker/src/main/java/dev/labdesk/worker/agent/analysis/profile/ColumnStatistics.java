package dev.labdesk.worker.agent.analysis.profile;

import java.time.format.DateTimeFormatter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import dev.labdesk.worker.agent.analysis.TableProfile.Column;
import dev.labdesk.worker.agent.analysis.TableProfile.Gap;
import dev.labdesk.worker.agent.analysis.TableProfile.Histogram;
import dev.labdesk.worker.agent.analysis.TableProfile.Value;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Exact per-column statistics of a typed table, each computed by DuckDB: streaming aggregates for
 * all columns of a slice in one scan, then per column one GROUP BY into a table of its distinct
 * values and their counts (spilled to disk when large), from which the exact distinct count, top
 * values, quantiles and histogram are read; a column whose values are all different is its own such table.
 */
final class ColumnStatistics {
    static final int TOP = 10, MAX_BINS = 30;
    /** Columns that get per-column queries (top values, quantiles, histogram); wider tables get one-scan numbers for the rest. */
    static final int DETAILED = 300;
    static final int SLICE = 50;
    /** Columns with at least this many values are checked for being unique before they are grouped (see {@link #unique}). */
    static final int UNIQUE_CHECK_ROWS = 10_000;
    /** Unique short strings at least this many are identifiers, not categories. */
    private static final int ID_MIN_ROWS = 2, HIGH_CARDINALITY_MIN_ROWS = 20;
    private static final double LONG_TEXT = 40;
    private static final Pattern ID_NAME = Pattern.compile("(?i)(^|[_\\s.-])(id|key|index|idx|no|nr|#)$|^id[_\\s.-]|^(id|index|row|rownum|#)$");

    /** The quantiles given: p5, p25, median, p75, p95. */
    private static final double[] QUANTILES = {0.05, 0.25, 0.5, 0.75, 0.95};

    private final Connection db;
    private final String table;
    private final int slice, detailed;
    private final List<String> temporary;

    /** @param temporary where the names of the temporary tables made are added, for the caller to drop */
    ColumnStatistics(Connection db, String table, int slice, int detailed, List<String> temporary) {
        this.db = db;
        this.table = table;
        this.slice = slice;
        this.detailed = detailed;
        this.temporary = temporary;
    }

    /** The temporary table of the distinct values {@code (v, n)} of the column at {@code index} (a detailed one), kept until the caller drops it. */
    String valueTable(int index) {
        return table + "_values_" + index;
    }

    List<Column> of(List<Typing> typings, long rows) throws SQLException {
        var base = new ArrayList<Base>(typings.size());
        for (int from = 0; from < typings.size(); from += slice)
            base.addAll(base(typings.subList(from, Math.min(typings.size(), from + slice)), from + slice > detailed));
        var out = new ArrayList<Column>(typings.size());
        for (int i = 0; i < typings.size(); i++) out.add(i < detailed ? column(typings.get(i), base.get(i), rows, i) : brief(typings.get(i), base.get(i), rows));
        return out;
    }

    /** The one-scan aggregates of a column. */
    private record Base(long count, Long distinct, String min, String max, Double mean, Double std, Long zeros, Long negatives, Double skewness,
                        Double minValue, Double maxValue, Double lengthMin, Double lengthMean, Double lengthMax) {}

    private List<Base> base(List<Typing> slice, boolean distinct) throws SQLException {
        var sql = new StringBuilder("SELECT count(*) AS rows_");
        for (int i = 0; i < slice.size(); i++) {
            var t = slice.get(i);
            var c = Sql.id(t.name());
            if (distinct) sql.append(", count(DISTINCT ").append(c).append(") AS dn").append(i);
            sql.append(", count(").append(c).append(") AS n").append(i)
                    .append(", CAST(min(").append(c).append(") AS VARCHAR) AS lo").append(i)
                    .append(", CAST(max(").append(c).append(") AS VARCHAR) AS hi").append(i);
            switch (t.kind()) {
                case Typing.NUMERIC -> sql.append(", avg(").append(c).append(") AS mean").append(i)
                        .append(", stddev_samp(").append(c).append(") AS sd").append(i)
                        .append(", count(*) FILTER (WHERE ").append(c).append(" = 0) AS z").append(i)
                        .append(", count(*) FILTER (WHERE ").append(c).append(" < 0) AS neg").append(i)
                        .append(", skewness(").append(c).append(") AS sk").append(i)
                        .append(", CAST(min(").append(c).append(") AS DOUBLE) AS lov").append(i)
                        .append(", CAST(max(").append(c).append(") AS DOUBLE) AS hiv").append(i);
                case Typing.DATETIME -> sql.append(", epoch(CAST(min(").append(c).append(") AS TIMESTAMP)) AS lov").append(i)
                        .append(", epoch(CAST(max(").append(c).append(") AS TIMESTAMP)) AS hiv").append(i);
                case Typing.TEXT -> sql.append(", min(length(").append(c).append(")) AS lmin").append(i)
                        .append(", avg(length(").append(c).append(")) AS lmean").append(i)
                        .append(", max(length(").append(c).append(")) AS lmax").append(i);
                default -> { }
            }
        }
        sql.append(" FROM ").append(table);
        return Sql.query(db, sql.toString(), rs -> {
            rs.next();
            var out = new ArrayList<Base>(slice.size());
            for (int i = 0; i < slice.size(); i++) {
                var kind = slice.get(i).kind();
                boolean num = kind.equals(Typing.NUMERIC), ranged = num || kind.equals(Typing.DATETIME), text = kind.equals(Typing.TEXT);
                out.add(new Base(rs.getLong("n" + i), distinct ? rs.getLong("dn" + i) : null, rs.getString("lo" + i), rs.getString("hi" + i),
                        num ? Sql.dbl(rs, "mean" + i) : null, num ? Sql.dbl(rs, "sd" + i) : null,
                        num ? rs.getLong("z" + i) : null, num ? rs.getLong("neg" + i) : null, num ? Sql.dbl(rs, "sk" + i) : null,
                        ranged ? Sql.dbl(rs, "lov" + i) : null, ranged ? Sql.dbl(rs, "hiv" + i) : null,
                        text ? Sql.dbl(rs, "lmin" + i) : null, text ? Sql.dbl(rs, "lmean" + i) : null, text ? Sql.dbl(rs, "lmax" + i) : null));
            }
            return out;
        });
    }

    /** Distinct values, how many occur once, Σ n·ln n (for the imbalance) and the most frequent values. */
    private record Groups(long distinct, long singletons, double nLogN, List<Value> top) {}

    /**
     * The column's distinct values with their counts, made once into a temporary table {@code (v, n)} (a GROUP BY, which
     * DuckDB spills to disk when large): the distinct count, top values, exact quantiles, histogram, date gaps and the
     * Spearman ranks are all read from it rather than from the whole table again.
     */
    private Groups groups(String name, String values, long count) throws SQLException {
        var c = Sql.id(name);
        temporary.add(values);
        if (count >= UNIQUE_CHECK_ROWS && unique(c)) {
            // every value once: the column itself is its table of distinct values, and its smallest values are its "most frequent"
            Sql.run(db, "CREATE TEMP VIEW " + values + " AS SELECT " + c + " AS v, 1 AS n FROM " + table + " WHERE " + c + " IS NOT NULL");
            var top = Sql.query(db, "SELECT CAST(v AS VARCHAR) AS s FROM " + values + " ORDER BY v LIMIT " + TOP, rs -> {
                var l = new ArrayList<Value>();
                while (rs.next()) l.add(new Value(rs.getString("s"), 1, 1.0 / count));
                return l;
            });
            return new Groups(count, count, 0, top);
        }
        Sql.run(db, "CREATE TEMP TABLE " + values + " AS SELECT " + c + " AS v, count(*) AS n FROM " + table + " WHERE " + c + " IS NOT NULL GROUP BY " + c);
        var summary = Sql.query(db, "SELECT count(*) AS d, count(*) FILTER (WHERE n = 1) AS ones, sum(n * ln(n)) AS nln FROM " + values,
                rs -> rs.next() ? new double[] {rs.getLong("d"), rs.getLong("ones"), rs.getDouble("nln")} : new double[3]);
        var top = Sql.query(db, "SELECT CAST(v AS VARCHAR) AS s, n FROM " + values + " ORDER BY n DESC, v LIMIT " + TOP, rs -> {
            var l = new ArrayList<Value>();
            while (rs.next()) {
                long n = rs.getLong("n");
                l.add(new Value(rs.getString("s"), n, count == 0 ? 0 : (double) n / count));
            }
            return l;
        });
        return new Groups((long) summary[0], (long) summary[1], summary[2], top);
    }

    /**
     * Whether every value of the column differs, exactly: looked for (sorted, each value against the one before, which DuckDB
     * spills to disk when large) only when its first {@link #UNIQUE_CHECK_ROWS} values all differ, as an identifier's do.
     * A sort costs less than the hash table of a GROUP BY with one group per row.
     */
    private boolean unique(String c) throws SQLException {
        boolean sampleUnique = Sql.query(db, "SELECT count(DISTINCT v) = count(v) FROM (SELECT " + c + " AS v FROM " + table + " LIMIT " + UNIQUE_CHECK_ROWS + ")",
                rs -> rs.next() && rs.getBoolean(1));
        return sampleUnique && Sql.query(db, "SELECT count(*) FILTER (WHERE v = p) FROM (SELECT v, lag(v) OVER (ORDER BY v) AS p FROM (SELECT " + c + " AS v FROM "
                + table + " WHERE " + c + " IS NOT NULL))", rs -> rs.next() && rs.getLong(1) == 0);
    }

    /** Exact quantiles from the distinct values and their running count: the values at the ranks each quantile needs. */
    private double[] quantiles(String values, long count) throws SQLException {
        long[] ranks = quantileRanks(count);
        var sql = new StringBuilder("SELECT ");
        for (int r = 0; r < ranks.length; r++)
            sql.append(r == 0 ? "" : ", ").append("CAST(min(v) FILTER (WHERE below > ").append(ranks[r]).append(") AS DOUBLE) AS r").append(r);
        sql.append(" FROM (SELECT v, sum(n) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING) AS below FROM ").append(values).append(')');
        var atRank = Sql.query(db, sql.toString(), rs -> {
            rs.next();
            var a = new double[ranks.length];
            for (int r = 0; r < ranks.length; r++) a[r] = rs.getDouble(r + 1);
            return a;
        });
        return quantiles(count, atRank);
    }

    /** The 0-based ranks whose values {@link #QUANTILES} interpolate between, in pairs (below, above), for {@code count} values. */
    static long[] quantileRanks(long count) {
        var ranks = new long[QUANTILES.length * 2];
        for (int i = 0; i < QUANTILES.length; i++) {
            double h = (count - 1) * QUANTILES[i];
            ranks[2 * i] = (long) Math.floor(h);
            ranks[2 * i + 1] = (long) Math.ceil(h);
        }
        return ranks;
    }

    /** DuckDB's {@code quantile_cont}: the value at rank (n - 1)·q, interpolated linearly between the two nearest ranks. */
    static double[] quantiles(long count, double[] atRank) {
        var q = new double[QUANTILES.length];
        for (int i = 0; i < QUANTILES.length; i++) {
            double h = (count - 1) * QUANTILES[i], lo = atRank[2 * i], hi = atRank[2 * i + 1];
            q[i] = Math.floor(h) == Math.ceil(h) ? lo : lo + (hi - lo) * (h - Math.floor(h));
        }
        return q;
    }

    private Column column(Typing t, Base b, long rows, int index) throws SQLException {
        long missing = rows - b.count() - t.exceptions();
        var values = valueTable(index);
        var g = groups(t.name(), values, b.count());
        var kind = kind(t, b, g);
        boolean numeric = kind.equals(Typing.NUMERIC), id = kind.equals("id");
        double[] q = numeric && b.count() > 0 ? quantiles(values, b.count()) : null;
        Histogram histogram = null;
        Gap gap = null;
        if (numeric && b.count() > 0) histogram = histogram(values, "CAST(v AS DOUBLE)", b, g.distinct(), false);
        if (kind.equals(Typing.DATETIME) && b.count() > 0) {
            histogram = histogram(values, "epoch(CAST(v AS TIMESTAMP))", b, g.distinct(), true);
            gap = g.distinct() > 1 ? gap(values) : null;
        }
        Double imbalance = null;
        if ((kind.equals("categorical") || kind.equals(Typing.BOOLEAN)) && g.distinct() > 1 && b.count() > 0) {
            double entropy = Math.log(b.count()) - g.nLogN() / b.count();
            imbalance = 1 - entropy / Math.log(g.distinct());
        }
        boolean showTop = !kind.equals(Typing.DATETIME);
        return new Column(t.name(), t.type(), kind, t.sourceType(), b.count(), missing, t.tokensFound(), t.exceptions(), t.exceptionExamples(),
                g.distinct(), true, b.min(), b.max(),
                id ? null : b.mean(), id ? null : b.std(), q == null ? null : q[0], q == null ? null : q[1], q == null ? null : q[2],
                q == null ? null : q[3], q == null ? null : q[4], id ? null : b.zeros(), id ? null : b.negatives(), id ? null : b.skewness(),
                histogram, showTop ? g.top() : List.of(), g.singletons(), imbalance, b.lengthMin(), b.lengthMean(), b.lengthMax(),
                t.dateFormat(), t.dateNote(), gap);
    }

    /** A column past {@link #DETAILED}: exact counts, distinct values, min, max and the one-scan moments, no per-column queries. */
    private static Column brief(Typing t, Base b, long rows) {
        var g = new Groups(b.distinct(), 0, 0, List.of());
        var kind = kind(t, b, g);
        boolean id = kind.equals("id");
        return new Column(t.name(), t.type(), kind, t.sourceType(), b.count(), rows - b.count() - t.exceptions(), t.tokensFound(), t.exceptions(),
                t.exceptionExamples(), b.distinct(), true, b.min(), b.max(), id ? null : b.mean(), id ? null : b.std(), null, null, null, null, null,
                id ? null : b.zeros(), id ? null : b.negatives(), id ? null : b.skewness(), null, List.of(), null, null,
                b.lengthMin(), b.lengthMean(), b.lengthMax(), t.dateFormat(), t.dateNote(), null);
    }

    /** The profile kind: identifiers (unique short strings, or unique integers that count up or are named like an id) get no mean. */
    private static String kind(Typing t, Base b, Groups g) {
        boolean unique = b.count() >= ID_MIN_ROWS && g.distinct() == b.count();
        switch (t.kind()) {
            case Typing.NUMERIC -> {
                boolean integer = !t.type().equals("DOUBLE") && !t.type().equals("FLOAT") && !t.type().equals("REAL") && !t.type().startsWith("DECIMAL");
                boolean sequential = b.minValue() != null && b.maxValue() - b.minValue() + 1 == b.count();
                return integer && unique && (sequential || ID_NAME.matcher(t.name()).find()) ? "id" : Typing.NUMERIC;
            }
            case Typing.TEXT -> {
                boolean shortText = b.lengthMean() != null && b.lengthMean() <= LONG_TEXT;
                boolean highCardinality = b.count() >= HIGH_CARDINALITY_MIN_ROWS && g.distinct() >= 0.9 * b.count();
                if (shortText && (unique || highCardinality)) return "id";
                if (!shortText || (g.distinct() > 50 && g.distinct() > 0.5 * b.count())) return "text";
                return "categorical";
            }
            default -> {
                return t.kind();
            }
        }
    }

    /** Equal-width bins over [min, max] (Sturges' count, at most {@link #MAX_BINS}, no more than the distinct values). */
    private Histogram histogram(String values, String value, Base b, long distinct, boolean time) throws SQLException {
        double lo = b.minValue(), hi = b.maxValue();
        int bins = (int) Math.max(1, Math.min(Math.min(MAX_BINS, Math.ceil(Math.log(b.count()) / Math.log(2)) + 1), distinct));
        if (hi == lo || !Double.isFinite(hi - lo)) bins = 1;
        double width = bins == 1 ? 0 : (hi - lo) / bins;
        var bin = width == 0 ? "0" : "least(CAST(floor((" + value + " - " + lo + ") / " + width + ") AS BIGINT), " + (bins - 1) + ")";
        var counts = new long[bins];
        Sql.query(db, "SELECT " + bin + " AS b, sum(n) AS n FROM " + values + (time ? "" : " WHERE isfinite(" + value + ")") + " GROUP BY b", rs -> {
            while (rs.next()) counts[Math.clamp(rs.getInt(1), 0, counts.length - 1)] += rs.getLong(2);
            return null;
        });
        var edges = new ArrayList<Double>(bins + 1);
        for (int i = 0; i <= bins; i++) edges.add(i == bins ? hi : lo + i * width);
        if (bins == 1) edges.set(1, hi);
        var labels = time ? edges.stream().map(ColumnStatistics::iso).toList() : null;
        return new Histogram(edges, Arrays.stream(counts).boxed().toList(), labels);
    }

    private Gap gap(String values) throws SQLException {
        // the earliest of equal largest gaps, its two ends from the same row: the report is the same on every run
        var sql = "WITH w AS (SELECT v, lag(v) OVER (ORDER BY v) AS p, epoch(CAST(v AS TIMESTAMP)) - epoch(CAST(lag(v) OVER (ORDER BY v) AS TIMESTAMP)) AS gap "
                + "FROM " + values + ") SELECT CAST(p AS VARCHAR) AS a, CAST(v AS VARCHAR) AS b, gap AS g, (SELECT median(gap) FROM w WHERE p IS NOT NULL) AS m "
                + "FROM w WHERE p IS NOT NULL ORDER BY gap DESC, v LIMIT 1";
        return Sql.query(db, sql, rs -> rs.next() ? new Gap(rs.getString("a"), rs.getString("b"), rs.getDouble("g"), rs.getDouble("m")) : null);
    }

    /** As DuckDB writes them: {@code 2000-04-01}, or {@code 2000-04-01 09:15:00} with a time. */
    private static String iso(double epochSeconds) {
        var t = LocalDateTime.ofEpochSecond(Math.floorDiv(Math.round(epochSeconds * 1000), 1000), 0, ZoneOffset.UTC);
        return t.toLocalTime().toSecondOfDay() == 0 ? t.toLocalDate().toString() : t.toLocalDate() + " " + t.toLocalTime().format(DateTimeFormatter.ofPattern("HH:mm:ss"));
    }

}
