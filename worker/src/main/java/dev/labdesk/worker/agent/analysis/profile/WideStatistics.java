package dev.labdesk.worker.agent.analysis.profile;

import java.util.stream.Collectors;

import dev.labdesk.worker.agent.analysis.TableProfile.Column;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table with thousands of columns, profiled as one long (column, value) table: one GROUP BY gives every
 * column's exact counts, placeholders, distinct values, min, max, mean and sd, in memory that does not grow with the width.
 * Each column is numeric when most of its values are numbers, else text.
 */
final class WideStatistics {
    record Result(long rows, List<Column> columns) {}

    private static final int SLICE = 1_000;

    private WideStatistics() {}

    static Result of(Connection db, String raw, Map<String, String> columns, String longTable) throws SQLException {
        long rows = Sql.query(db, "SELECT count(*) FROM " + raw, rs -> rs.next() ? rs.getLong(1) : 0L);
        Sql.run(db, "CREATE TEMP TABLE " + longTable + " (col VARCHAR, v VARCHAR)");
        var names = List.copyOf(columns.keySet());
        for (int from = 0; from < names.size(); from += SLICE) { // a few hundred columns per scan: a scan holds a chunk of each column it reads
            var slice = names.subList(from, Math.min(names.size(), from + SLICE));
            Sql.run(db, "INSERT INTO " + longTable + " SELECT col, v FROM (UNPIVOT (SELECT " + slice.stream()
                    .map(n -> "CAST(" + Sql.id(n) + " AS VARCHAR) AS " + Sql.id(n)).collect(Collectors.joining(", "))
                    + " FROM " + raw + ") ON COLUMNS(*) INTO NAME col VALUE v)");
        }
        var token = Missing.isToken("v");
        var number = Sql.number(Sql.trim("v"));
        var sql = "SELECT col, count(*) FILTER (WHERE NOT (" + token + ")) AS n, count(*) FILTER (WHERE " + token + ") AS k, "
                + "count(" + number + ") FILTER (WHERE NOT (" + token + ")) AS d, "
                + "count(*) FILTER (WHERE regexp_full_match(" + Sql.trim("v") + ", '[+-]?\\d{1,18}')) AS i, "
                + "count(DISTINCT " + number + ") FILTER (WHERE NOT (" + token + ")) AS dd, count(DISTINCT v) FILTER (WHERE NOT (" + token + ")) AS dv, "
                + "avg(" + number + ") FILTER (WHERE NOT (" + token + ")) AS mean, stddev_samp(" + number + ") FILTER (WHERE NOT (" + token + ")) AS sd, "
                + "min(" + number + ") FILTER (WHERE NOT (" + token + ")) AS lo, max(" + number + ") FILTER (WHERE NOT (" + token + ")) AS hi, "
                + "count(*) FILTER (WHERE " + number + " = 0 AND NOT (" + token + ")) AS z, count(*) FILTER (WHERE " + number + " < 0 AND NOT (" + token + ")) AS neg, "
                + "min(v) FILTER (WHERE NOT (" + token + ")) AS tlo, max(v) FILTER (WHERE NOT (" + token + ")) AS thi, "
                + "min(length(v)) FILTER (WHERE NOT (" + token + ")) AS lmin, avg(length(v)) FILTER (WHERE NOT (" + token + ")) AS lmean, "
                + "max(length(v)) FILTER (WHERE NOT (" + token + ")) AS lmax FROM " + longTable + " GROUP BY col";
        var byName = new HashMap<String, Column>();
        Sql.query(db, sql, rs -> {
            while (rs.next()) {
                var name = rs.getString("col");
                long values = rs.getLong("n"), numbers = rs.getLong("d");
                boolean numeric = values > 0 && numbers * 2 > values;
                boolean integer = numeric && rs.getLong("i") == numbers;
                long count = numeric ? numbers : values;
                var type = numeric ? (integer ? "BIGINT" : "DOUBLE") : "VARCHAR";
                Double lo = Sql.dbl(rs, "lo"), hi = Sql.dbl(rs, "hi");
                byName.put(name, new Column(name, type, numeric ? Typing.NUMERIC : "text", columns.get(name), count, rows - count - (values - count),
                        Map.of(), values - count, List.of(), numeric ? rs.getLong("dd") : rs.getLong("dv"), true,
                        numeric ? number(lo, integer) : rs.getString("tlo"), numeric ? number(hi, integer) : rs.getString("thi"),
                        numeric ? Sql.dbl(rs, "mean") : null, numeric ? Sql.dbl(rs, "sd") : null, null, null, null, null, null,
                        numeric ? rs.getLong("z") : null, numeric ? rs.getLong("neg") : null, null, null, List.of(), null, null,
                        numeric ? null : Sql.dbl(rs, "lmin"), numeric ? null : Sql.dbl(rs, "lmean"), numeric ? null : Sql.dbl(rs, "lmax"),
                        null, null, null));
            }
            return null;
        });
        var out = new ArrayList<Column>(columns.size());
        for (var e : columns.entrySet())
            out.add(byName.getOrDefault(e.getKey(), new Column(e.getKey(), "VARCHAR", "text", e.getValue(), 0, rows, Map.of(), 0, List.of(), 0L, true,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, List.of(), null, null, null, null, null, null, null, null)));
        return new Result(rows, out);
    }

    private static String number(Double v, boolean integer) {
        if (v == null) return null;
        return integer ? String.valueOf(v.longValue()) : String.valueOf(v);
    }
}
