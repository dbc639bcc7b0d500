package dev.labdesk.worker.agent.analysis.profile;

import dev.labdesk.worker.agent.analysis.Numbers;
import dev.labdesk.worker.agent.analysis.TableProfile.Alert;
import dev.labdesk.worker.agent.analysis.TableProfile.Column;
import dev.labdesk.worker.agent.analysis.TableProfile.Correlation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Whole-table numbers (duplicate rows, Pearson and Spearman correlations) and the alerts, with ydata-profiling's thresholds. */
final class TableStatistics {
    /** Correlations are computed between at most this many numeric columns (the first ones). */
    static final int MAX_CORRELATED = 25;
    /** Two rows always lie on a line: fewer rows than this get no correlations. */
    static final int MIN_CORRELATION_ROWS = 3;
    /** Duplicate rows are not looked for in tables wider than this (the row hash would be the whole row). */
    static final int MAX_DUPLICATE_COLUMNS = 1_000;
    static final double HIGH_MISSING = 0.2, SKEWED = 2, MANY_ZEROS = 0.1, IMBALANCED = 0.5, HIGHLY_CORRELATED = 0.9;

    private final Connection db;
    private final String table;

    TableStatistics(Connection db, String table) {
        this.db = db;
        this.table = table;
    }

    /** Exact: no two rows are the same when one column has a value in every row and every value differs; else counted by DuckDB. */
    Long duplicateRows(List<Column> columns, long rows) throws SQLException {
        if (columns.isEmpty() || columns.size() > MAX_DUPLICATE_COLUMNS) return null;
        if (columns.stream().anyMatch(c -> c.count() == rows && c.distinct() != null && c.distinct() == rows)) return 0L;
        return Sql.query(db, "SELECT (SELECT count(*) FROM " + table + ") - (SELECT count(*) FROM (SELECT DISTINCT * FROM " + table + "))",
                rs -> rs.next() ? rs.getLong(1) : null);
    }

    /**
     * Pearson's r over the rows where both columns have a value; Spearman's rho as Pearson's r of average
     * ranks (ties share the mean rank), ranked over those same rows. A rank comes from the column's distinct
     * values and their running count (a value's rank is the count below it plus the mean of its own positions),
     * joined back to the rows: no sort of the whole table.
     *
     * @param values per column name, its table of distinct values and counts {@code (v, n)} when there is one
     */
    List<Correlation> correlations(List<Column> columns, long rows, Map<String, String> values) throws SQLException {
        var numeric = columns.stream().filter(c -> c.kind().equals(Typing.NUMERIC) && c.distinct() != null && c.distinct() > 1)
                .limit(MAX_CORRELATED).toList();
        if (numeric.size() < 2 || rows < MIN_CORRELATION_ROWS) return List.of();
        var pairs = new ArrayList<int[]>();
        for (int i = 0; i < numeric.size(); i++) for (int j = i + 1; j < numeric.size(); j++) pairs.add(new int[] {i, j});
        var pearson = new Double[pairs.size()];
        var spearman = new Double[pairs.size()];
        // one scan: every Pearson r, and Spearman's rho between complete columns (joining their ranks drops no row)
        var complete = numeric.stream().filter(c -> c.count() == rows).toList();
        var sql = new StringBuilder("SELECT ").append(pairs.stream().map(p -> "corr(" + num(numeric.get(p[0])) + ", " + num(numeric.get(p[1])) + ")")
                .collect(Collectors.joining(", ")));
        var indices = new ArrayList<Integer>();
        for (int k = 0; k < pairs.size(); k++) {
            var a = numeric.get(pairs.get(k)[0]);
            var b = numeric.get(pairs.get(k)[1]);
            if (complete.size() < 2 || !complete.contains(a) || !complete.contains(b)) continue;
            sql.append(", corr(r").append(complete.indexOf(a)).append(".r, r").append(complete.indexOf(b)).append(".r)");
            indices.add(k);
        }
        sql.append(" FROM ").append(table).append(" t");
        if (!indices.isEmpty())
            for (int i = 0; i < complete.size(); i++) {
                var c = complete.get(i);
                sql.append(" JOIN ").append(ranks(values.getOrDefault(c.name(), grouped(c.name(), List.of(c.name()))))).append(" r").append(i)
                        .append(" ON t.").append(Sql.id(c.name())).append(" = r").append(i).append(".v");
            }
        Sql.query(db, sql.toString(), rs -> {
            rs.next();
            for (int k = 0; k < pairs.size(); k++) pearson[k] = Sql.dbl(rs, k + 1);
            for (int x = 0; x < indices.size(); x++) spearman[indices.get(x)] = Sql.dbl(rs, pairs.size() + x + 1);
            return null;
        });
        // a pair with a missing value: each column ranked over the rows where both have one
        for (int k = 0; k < pairs.size(); k++) {
            if (indices.contains(k)) continue;
            var a = numeric.get(pairs.get(k)[0]).name();
            var b = numeric.get(pairs.get(k)[1]).name();
            spearman[k] = Sql.query(db, "SELECT corr(ra.r, rb.r) FROM " + table + " t JOIN " + ranks(grouped(a, List.of(a, b))) + " ra ON t." + Sql.id(a)
                    + " = ra.v JOIN " + ranks(grouped(b, List.of(a, b))) + " rb ON t." + Sql.id(b) + " = rb.v", rs -> rs.next() ? Sql.dbl(rs, 1) : null);
        }
        var out = new ArrayList<Correlation>(pairs.size());
        for (int k = 0; k < pairs.size(); k++)
            out.add(new Correlation(numeric.get(pairs.get(k)[0]).name(), numeric.get(pairs.get(k)[1]).name(), finite(pearson[k]), finite(spearman[k])));
        return out;
    }

    /** The distinct values {@code (v, n)} of a column over the rows where every column of {@code present} has a value. */
    private String grouped(String column, List<String> present) {
        var c = Sql.id(column);
        return "(SELECT " + c + " AS v, count(*) AS n FROM " + table + " WHERE " + present.stream().map(p -> Sql.id(p) + " IS NOT NULL")
                .collect(Collectors.joining(" AND ")) + " GROUP BY " + c + ")";
    }

    /** Each distinct value's average rank: the values below it, plus the mean of its own positions 1..n. */
    private static String ranks(String values) {
        return "(SELECT v, sum(n) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING) - (n - 1) / 2.0 AS r FROM " + values + ")";
    }

    private static String num(Column c) {
        return "CAST(t." + Sql.id(c.name()) + " AS DOUBLE)";
    }

    private static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }

    static List<Alert> alerts(List<Column> columns, long rows, Long duplicates, List<Correlation> correlations) {
        var alerts = new ArrayList<Alert>();
        if (duplicates != null && duplicates > 0)
            alerts.add(new Alert(null, "duplicates", Numbers.count(duplicates, "duplicate row") + " (" + Numbers.share((double) duplicates / rows) + ")"));
        for (var c : columns) {
            if (c.count() > 1 && c.distinct() != null && c.distinct() == 1)
                alerts.add(new Alert(c.name(), "constant", "every value is " + quote(c.min())));
            if (c.kind().equals("id"))
                alerts.add(new Alert(c.name(), "id_like", "an identifier (" + (c.distinct() == c.count() ? "every value unique" : "nearly every value distinct") + "): no mean or spread given"));
            else if (c.count() > 1 && c.distinct() != null && c.distinct() == c.count() && !c.kind().equals(Typing.NUMERIC))
                alerts.add(new Alert(c.name(), "unique", "every value is unique"));
            if (rows > 0 && (double) c.nulls() / rows >= HIGH_MISSING)
                alerts.add(new Alert(c.name(), "missing", c.nulls() + " of " + rows + " missing (" + Numbers.share((double) c.nulls() / rows) + ")"));
            if (!c.missingTokens().isEmpty())
                alerts.add(new Alert(c.name(), "placeholders", c.missingTokens().entrySet().stream()
                        .map(e -> quote(e.getKey()) + " ×" + e.getValue()).collect(Collectors.joining(", ")) + " counted as missing"));
            if (c.invalid() > 0)
                alerts.add(new Alert(c.name(), "mixed_types", c.invalid() + " value" + (c.invalid() == 1 ? "" : "s") + " not " + article(c.type())
                        + " (e.g. " + c.invalidExamples().stream().map(TableStatistics::quote).collect(Collectors.joining(", ")) + "), left out of its statistics"));
            if (c.skewness() != null && Math.abs(c.skewness()) > SKEWED)
                alerts.add(new Alert(c.name(), "skewed", "skewness " + Numbers.coefficient(c.skewness())));
            if (c.zeros() != null && c.count() > 0 && (double) c.zeros() / c.count() > MANY_ZEROS)
                alerts.add(new Alert(c.name(), "zeros", c.zeros() + " zeros (" + Numbers.share((double) c.zeros() / c.count()) + ")"));
            if (c.imbalance() != null && c.imbalance() > IMBALANCED)
                alerts.add(new Alert(c.name(), "imbalance", "imbalanced (" + Numbers.significant(c.imbalance(), 2) + "): "
                        + quote(c.topValues().getFirst().value()) + " is " + Numbers.share(c.topValues().getFirst().share())));
        }
        for (var k : correlations) {
            var r = k.pearson() != null && Math.abs(k.pearson()) > HIGHLY_CORRELATED ? k.pearson()
                    : k.spearman() != null && Math.abs(k.spearman()) > HIGHLY_CORRELATED ? k.spearman() : null;
            if (r != null) alerts.add(new Alert(k.a(), "high_correlation", "highly correlated with " + k.b() + " ("
                    + (r.equals(k.pearson()) ? "Pearson" : "Spearman") + " " + Numbers.coefficient(r) + ")"));
        }
        return alerts;
    }

    private static String article(String type) {
        return switch (type) {
            case "BIGINT" -> "an integer";
            case "DOUBLE" -> "a number";
            case "DATE" -> "a date";
            case "TIMESTAMP" -> "a date-time";
            case "BOOLEAN" -> "true/false";
            default -> type.toLowerCase(Locale.ROOT);
        };
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "\"" + (s.length() > 40 ? s.substring(0, 39) + "…" : s) + "\"";
    }
}
