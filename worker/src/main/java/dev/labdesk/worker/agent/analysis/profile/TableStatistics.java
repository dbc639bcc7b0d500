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

    Long duplicateRows(int columns) throws SQLException {
        if (columns == 0 || columns > MAX_DUPLICATE_COLUMNS) return null;
        return Sql.query(db, "SELECT (SELECT count(*) FROM " + table + ") - (SELECT count(*) FROM (SELECT DISTINCT * FROM " + table + "))",
                rs -> rs.next() ? rs.getLong(1) : null);
    }

    /**
     * Pearson's r over the rows where both columns have a value; Spearman's rho as Pearson's r of average
     * ranks (ties share the mean rank), ranked over those same rows.
     */
    List<Correlation> correlations(List<Column> columns, long rows) throws SQLException {
        var numeric = columns.stream().filter(c -> c.kind().equals(Typing.NUMERIC) && c.distinct() != null && c.distinct() > 1)
                .limit(MAX_CORRELATED).toList();
        if (numeric.size() < 2 || rows < MIN_CORRELATION_ROWS) return List.of();
        var pairs = new ArrayList<int[]>();
        for (int i = 0; i < numeric.size(); i++) for (int j = i + 1; j < numeric.size(); j++) pairs.add(new int[] {i, j});
        var pearson = new Double[pairs.size()];
        var spearman = new Double[pairs.size()];
        Sql.query(db, "SELECT " + pairs.stream().map(p -> "corr(" + num(numeric.get(p[0])) + ", " + num(numeric.get(p[1])) + ")")
                .collect(Collectors.joining(", ")) + " FROM " + table, rs -> {
            rs.next();
            for (int k = 0; k < pairs.size(); k++) pearson[k] = Sql.dbl(rs, k + 1);
            return null;
        });
        // complete columns share one ranking; a pair with a missing value is ranked over its own complete rows
        var complete = numeric.stream().filter(c -> c.count() == rows).toList();
        if (complete.size() >= 2) {
            var ranks = complete.stream().map(c -> rank(num(c)) + " AS " + Sql.id("r_" + c.name())).collect(Collectors.joining(", "));
            var sql = new StringBuilder("SELECT ");
            var indices = new ArrayList<Integer>();
            for (int k = 0; k < pairs.size(); k++) {
                var a = numeric.get(pairs.get(k)[0]);
                var b = numeric.get(pairs.get(k)[1]);
                if (!complete.contains(a) || !complete.contains(b)) continue;
                sql.append(indices.isEmpty() ? "" : ", ").append("corr(").append(Sql.id("r_" + a.name())).append(", ").append(Sql.id("r_" + b.name())).append(')');
                indices.add(k);
            }
            sql.append(" FROM (SELECT ").append(ranks).append(" FROM ").append(table).append(')');
            Sql.query(db, sql.toString(), rs -> {
                rs.next();
                for (int x = 0; x < indices.size(); x++) spearman[indices.get(x)] = Sql.dbl(rs, x + 1);
                return null;
            });
        }
        for (int k = 0; k < pairs.size(); k++) {
            if (spearman[k] != null) continue;
            var a = num(numeric.get(pairs.get(k)[0]));
            var b = num(numeric.get(pairs.get(k)[1]));
            spearman[k] = Sql.query(db, "SELECT corr(ra, rb) FROM (SELECT " + rank(a) + " AS ra, " + rank(b) + " AS rb FROM " + table
                    + " WHERE " + a + " IS NOT NULL AND " + b + " IS NOT NULL)", rs -> rs.next() ? Sql.dbl(rs, 1) : null);
        }
        var out = new ArrayList<Correlation>(pairs.size());
        for (int k = 0; k < pairs.size(); k++)
            out.add(new Correlation(numeric.get(pairs.get(k)[0]).name(), numeric.get(pairs.get(k)[1]).name(), finite(pearson[k]), finite(spearman[k])));
        return out;
    }

    private static String num(Column c) {
        return "CAST(" + Sql.id(c.name()) + " AS DOUBLE)";
    }

    private static String rank(String v) {
        return "(rank() OVER (ORDER BY " + v + ") + (count(*) OVER (PARTITION BY " + v + ") - 1) / 2.0)";
    }

    private static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }

    static List<Alert> alerts(List<Column> columns, long rows, Long duplicates, List<Correlation> correlations) {
        var alerts = new ArrayList<Alert>();
        if (duplicates != null && duplicates > 0)
            alerts.add(new Alert(null, "duplicates", Numbers.count(duplicates, "duplicate row") + " (" + ColumnStatistics.percent((double) duplicates / rows) + ")"));
        for (var c : columns) {
            if (c.count() > 1 && c.distinct() != null && c.distinct() == 1)
                alerts.add(new Alert(c.name(), "constant", "every value is " + quote(c.min())));
            if (c.kind().equals("id"))
                alerts.add(new Alert(c.name(), "id_like", "an identifier (" + (c.distinct() == c.count() ? "every value unique" : "nearly every value distinct") + "): no mean or spread given"));
            else if (c.count() > 1 && c.distinct() != null && c.distinct() == c.count() && !c.kind().equals(Typing.NUMERIC))
                alerts.add(new Alert(c.name(), "unique", "every value is unique"));
            if (rows > 0 && (double) c.nulls() / rows >= HIGH_MISSING)
                alerts.add(new Alert(c.name(), "missing", c.nulls() + " of " + rows + " missing (" + ColumnStatistics.percent((double) c.nulls() / rows) + ")"));
            if (!c.missingTokens().isEmpty())
                alerts.add(new Alert(c.name(), "placeholders", c.missingTokens().entrySet().stream()
                        .map(e -> quote(e.getKey()) + " ×" + e.getValue()).collect(Collectors.joining(", ")) + " counted as missing"));
            if (c.invalid() > 0)
                alerts.add(new Alert(c.name(), "mixed_types", c.invalid() + " value" + (c.invalid() == 1 ? "" : "s") + " not " + article(c.type())
                        + " (e.g. " + c.invalidExamples().stream().map(TableStatistics::quote).collect(Collectors.joining(", ")) + "), left out of its statistics"));
            if (c.skewness() != null && Math.abs(c.skewness()) > SKEWED)
                alerts.add(new Alert(c.name(), "skewed", "skewness " + Numbers.significant(c.skewness(), 3)));
            if (c.zeros() != null && c.count() > 0 && (double) c.zeros() / c.count() > MANY_ZEROS)
                alerts.add(new Alert(c.name(), "zeros", c.zeros() + " zeros (" + ColumnStatistics.percent((double) c.zeros() / c.count()) + ")"));
            if (c.imbalance() != null && c.imbalance() > IMBALANCED)
                alerts.add(new Alert(c.name(), "imbalance", "imbalanced (" + Numbers.significant(c.imbalance(), 2) + "): "
                        + quote(c.topValues().getFirst().value()) + " is " + ColumnStatistics.percent(c.topValues().getFirst().share())));
        }
        for (var k : correlations) {
            var r = k.pearson() != null && Math.abs(k.pearson()) > HIGHLY_CORRELATED ? k.pearson()
                    : k.spearman() != null && Math.abs(k.spearman()) > HIGHLY_CORRELATED ? k.spearman() : null;
            if (r != null) alerts.add(new Alert(k.a(), "high_correlation", "highly correlated with " + k.b() + " ("
                    + (r.equals(k.pearson()) ? "Pearson" : "Spearman") + " " + String.format(Locale.ROOT, "%.3f", r) + ")"));
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
