package dev.labdesk.worker.agent.analysis.profile;

import java.util.function.UnaryOperator;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Infers each text column's type from all of its values (not a sample): placeholder tokens are
 * missing, and the type that most of the remaining values read as wins (numbers, then dates in
 * the forms of {@link DateFormat}, then true/false); the rest are counted as exceptions.
 * Columns DuckDB already typed (Parquet, JSON numbers) keep their type.
 */
final class Typer {
    /** Columns per inference query: wide tables are scanned in slices so no query grows unbounded. */
    static final int SLICE = 100;
    private static final int DATE_SLICE = 10, EXAMPLES = 5, PROBE = 1_000;
    /** A column is counted by its distinct values when its first {@link #PROBE_ROWS} values have at most one distinct value in this many. */
    private static final int FEW = 10, PROBE_ROWS = 10_000;
    private static final Set<String> NUMERIC_TYPES = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "REAL", "DOUBLE");

    private final Connection db;
    private final String table;
    private final int slice;

    Typer(Connection db, String table, int slice) {
        this.db = db;
        this.table = table;
        this.slice = slice;
    }

    static boolean numericType(String type) {
        return NUMERIC_TYPES.contains(type) || type.startsWith("DECIMAL");
    }

    List<Typing> infer(Map<String, String> columns) throws SQLException {
        var names = List.copyOf(columns.keySet());
        var counts = new LinkedHashMap<String, long[]>(); // nonNull, tokens, numeric, integer, boolean
        var textual = names.stream().filter(n -> textual(columns.get(n))).toList();
        // a column of few distinct values (categories, codes) is counted over its distinct values, weighted: far fewer values to read
        var few = new ArrayList<String>();
        var many = new ArrayList<String>();
        for (var name : textual) (fewValues(text(name, columns.get(name))) ? few : many).add(name);
        for (var name : few) count(List.of(name), columns, counts, true);
        for (int from = 0; from < many.size(); from += this.slice) count(many.subList(from, Math.min(many.size(), from + this.slice)), columns, counts, false);
        var dates = dateCounts(textual.stream().filter(n -> {
            var c = counts.get(n);
            long values = c[0] - c[1];
            return values > 0 && c[2] * 2 <= values; // not mostly numbers: may be dates
        }).toList(), columns);

        var out = new ArrayList<Typing>(names.size());
        for (var name : names) {
            var type = columns.get(name);
            if (!textual(type)) {
                var kind = nativeKind(type);
                boolean plain = !kind.equals(Typing.TEXT); // nested and other types are profiled as their text
                out.add(new Typing(name, type, plain ? type : "VARCHAR", kind, plain ? Sql.id(name) : "CAST(" + Sql.id(name) + " AS VARCHAR)",
                        0, Map.of(), 0, List.of(), null, null));
                continue;
            }
            out.add(decide(name, type, counts.get(name), dates.get(name)));
        }
        return out;
    }

    /** Whether the column's first {@link #PROBE_ROWS} values hold at most one distinct value in {@link #FEW}. */
    private boolean fewValues(String e) throws SQLException {
        return Sql.query(db, "SELECT count(DISTINCT v) * " + FEW + " <= count(*) FROM (SELECT " + e + " AS v FROM " + table + " LIMIT " + PROBE_ROWS + ")",
                rs -> rs.next() && rs.getBoolean(1));
    }

    /**
     * Counts, per column of the slice: values, placeholders, numbers, integers, true/false. Each value is trimmed and read as a
     * number once, in inner projections, not once per count; a value that reads as a number other than NaN is no placeholder, and
     * only values that read as numbers can be integers, only others true/false. {@code grouped}: one column, read as its distinct
     * values {@code g} with their counts {@code w}.
     */
    private void count(List<String> slice, Map<String, String> columns, Map<String, long[]> counts, boolean grouped) throws SQLException {
        UnaryOperator<String> rowsWhere = cond -> grouped ? "coalesce(sum(w) FILTER (WHERE " + cond + "), 0)" : "count(*) FILTER (WHERE " + cond + ")";
        var sql = new StringBuilder("SELECT ");
        var trimmed = new StringBuilder();
        var read = new StringBuilder();
        var looked = new StringBuilder();
        for (int i = 0; i < slice.size(); i++) {
            var e = grouped ? "g" : text(slice.get(i), columns.get(slice.get(i)));
            var t = "t" + i;
            var d = "d" + i;
            var sep = i > 0 ? ", " : "";
            var weight = grouped ? ", w" : "";
            trimmed.append(sep).append(Sql.trim(e)).append(" AS ").append(t).append(weight);
            read.append(sep).append(t).append(", ").append(Sql.number(t)).append(" AS ").append(d).append(weight);
            looked.append(sep).append(t).append(", ").append(d).append(", CASE WHEN ").append(d).append(" IS NOT NULL AND NOT isnan(").append(d)
                    .append(") THEN false ELSE ").append(Missing.isTokenTrimmed(t)).append(" END AS k").append(i).append(weight);
            sql.append(sep).append(rowsWhere.apply(t + " IS NOT NULL")).append(" AS n").append(i)
                    .append(", ").append(rowsWhere.apply("k" + i)).append(" AS k").append(i)
                    .append(", ").append(rowsWhere.apply(d + " IS NOT NULL AND NOT k" + i)).append(" AS d").append(i)
                    .append(", ").append(rowsWhere.apply(d + " IS NOT NULL AND regexp_full_match(" + t + ", '[+-]?\\d{1,18}')")).append(" AS i").append(i)
                    .append(", ").append(rowsWhere.apply(d + " IS NULL AND strlen(" + t + ") IN (4, 5) AND lower(" + t + ") IN ('true', 'false')")).append(" AS b").append(i);
        }
        var from = grouped ? "(SELECT " + text(slice.getFirst(), columns.get(slice.getFirst())) + " AS g, count(*) AS w FROM " + table + " GROUP BY g)" : table;
        sql.append(" FROM (SELECT ").append(looked).append(" FROM (SELECT ").append(read).append(" FROM (SELECT ").append(trimmed)
                .append(" FROM ").append(from).append(")))");
        Sql.query(db, sql.toString(), rs -> {
            rs.next();
            for (int i = 0; i < slice.size(); i++)
                counts.put(slice.get(i), new long[] {rs.getLong("n" + i), rs.getLong("k" + i), rs.getLong("d" + i), rs.getLong("i" + i), rs.getLong("b" + i)});
            return null;
        });
    }

    private Typing decide(String name, String sourceType, long[] c, long[] dateCounts) throws SQLException {
        var e = text(name, sourceType);
        var t = Sql.trim(e);
        long values = c[0] - c[1];
        var tokens = c[1] > 0 ? tokens(e) : Map.<String, Long>of();
        String type, kind, select, format = null, note = null;
        long fits;
        int best = -1;
        if (dateCounts != null)
            for (int f = 0; f < DateFormat.ALL.size(); f++) if (best < 0 || dateCounts[f] > dateCounts[best]) best = f;
        if (values > 0 && c[2] * 2 > values) {
            boolean integer = c[3] == c[2];
            type = integer ? "BIGINT" : "DOUBLE";
            kind = Typing.NUMERIC;
            // no placeholder reads as an integer, and only "NaN" and its spellings as a double: only a NaN is looked up
            var number = Sql.number(t);
            select = integer ? "TRY_CAST(" + t + " AS BIGINT)" : "CASE WHEN isnan(" + number + ") AND " + Missing.isToken(e) + " THEN NULL ELSE " + number + " END";
            fits = c[2];
        } else if (best >= 0 && dateCounts[best] * 2 > values) {
            var f = DateFormat.ALL.get(best);
            var swapped = f.swapped();
            if (swapped != null && dateCounts[DateFormat.ALL.indexOf(swapped)] == dateCounts[best] && f.order().equals("day/month"))
                f = swapped; // every value reads both ways: month first, as most software writes it
            boolean time = f.time() || (f == DateFormat.ISO && dateCounts[dateCounts.length - 1] < dateCounts[best]);
            type = time ? "TIMESTAMP" : "DATE";
            kind = Typing.DATETIME;
            select = "CAST(" + f.parse(t) + " AS " + type + ")";
            fits = dateCounts[DateFormat.ALL.indexOf(f)];
            format = f.shown();
            if (f.order() != null) note = dayMonthNote(f, swapped == null ? null : f.swapped(), e, dateCounts);
        } else if (values > 0 && c[4] * 2 > values) {
            type = "BOOLEAN";
            kind = Typing.BOOLEAN;
            select = "CASE lower(" + t + ") WHEN 'true' THEN true WHEN 'false' THEN false END";
            fits = c[4];
        } else {
            type = "VARCHAR";
            kind = Typing.TEXT;
            select = c[1] == 0 ? e : "CASE WHEN " + Missing.isToken(e) + " THEN NULL ELSE " + e + " END"; // no placeholder: the text as it is
            fits = values;
        }
        long exceptions = values - fits;
        var examples = exceptions > 0 ? Sql.query(db, "SELECT DISTINCT " + t + " AS v FROM " + table + " WHERE " + e + " IS NOT NULL AND NOT ("
                + Missing.isToken(e) + ") AND (" + select + ") IS NULL ORDER BY v LIMIT " + EXAMPLES, rs -> {
            var l = new ArrayList<String>();
            while (rs.next()) l.add(rs.getString(1));
            return l;
        }) : List.<String>of();
        return new Typing(name, sourceType, type, kind, select, c[1], tokens, exceptions, examples, format, note);
    }

    /** How day and month were told apart, with a value that settles it when there is one. */
    private String dayMonthNote(DateFormat chosen, DateFormat other, String e, long[] dateCounts) throws SQLException {
        if (other == null) return null;
        if (dateCounts[DateFormat.ALL.indexOf(other)] == dateCounts[DateFormat.ALL.indexOf(chosen)])
            return chosen.order() + " assumed: no value settles the order (every day is 12 or less)";
        var t = Sql.trim(e);
        var example = Sql.query(db, "SELECT min(" + t + ") FROM " + table + " WHERE " + chosen.parse(t) + " IS NOT NULL AND "
                + other.parse(t) + " IS NULL", rs -> rs.next() ? rs.getString(1) : null);
        return chosen.order() + " inferred from the values" + (example == null ? "" : " (e.g. " + example + " reads only that way)");
    }

    private Map<String, Long> tokens(String e) throws SQLException {
        return Sql.query(db, "SELECT " + Sql.trim(e) + " AS v, count(*) AS n FROM " + table + " WHERE " + Missing.isToken(e)
                + " GROUP BY v ORDER BY n DESC, v", rs -> {
            var m = new LinkedHashMap<String, Long>();
            while (rs.next()) m.put(rs.getString(1), rs.getLong(2));
            return m;
        });
    }

    /**
     * Per column, how many values each {@link DateFormat} reads, then how many are ISO dates without a time.
     * Only the forms that read most of a column's first {@link #PROBE} values are counted over all of it (the others count 0):
     * trying twenty forms on every value of a long column would cost more than the rest of the profile.
     */
    private Map<String, long[]> dateCounts(List<String> names, Map<String, String> columns) throws SQLException {
        var out = new LinkedHashMap<String, long[]>();
        int formats = DateFormat.ALL.size();
        var candidates = new LinkedHashMap<String, List<Integer>>();
        for (var name : names) {
            var t = Sql.trim(text(name, columns.get(name)));
            var probe = new StringBuilder("SELECT count(*) AS total");
            for (int f = 0; f < formats; f++) probe.append(", count(").append(DateFormat.ALL.get(f).parse("v")).append(") AS c").append(f);
            probe.append(" FROM (SELECT ").append(t).append(" AS v FROM ").append(table).append(" WHERE ").append(t)
                    .append(" IS NOT NULL AND NOT (").append(Missing.isToken(text(name, columns.get(name)))).append(") LIMIT ").append(PROBE).append(')');
            var likely = Sql.query(db, probe.toString(), rs -> {
                rs.next();
                long total = rs.getLong("total");
                var l = new ArrayList<Integer>();
                for (int f = 0; f < formats; f++) if (total > 0 && rs.getLong("c" + f) * 2 > total) l.add(f);
                return l;
            });
            if (likely.isEmpty()) out.put(name, new long[formats + 1]);
            else candidates.put(name, likely);
        }
        var pending = List.copyOf(candidates.keySet());
        for (int from = 0; from < pending.size(); from += DATE_SLICE) {
            var slice = pending.subList(from, Math.min(pending.size(), from + DATE_SLICE));
            var sql = new StringBuilder("SELECT count(*) AS rows_");
            for (int i = 0; i < slice.size(); i++) {
                var t = Sql.trim(text(slice.get(i), columns.get(slice.get(i))));
                for (int f : candidates.get(slice.get(i)))
                    sql.append(", count(").append(DateFormat.ALL.get(f).parse(t)).append(") AS c").append(i).append('_').append(f);
                sql.append(", count(*) FILTER (WHERE regexp_full_match(").append(t).append(", '\\d{4}-\\d{1,2}-\\d{1,2}')) AS c").append(i).append("_iso");
            }
            sql.append(" FROM ").append(table);
            Sql.query(db, sql.toString(), rs -> {
                rs.next();
                for (int i = 0; i < slice.size(); i++) {
                    var c = new long[formats + 1];
                    for (int f : candidates.get(slice.get(i))) c[f] = rs.getLong("c" + i + "_" + f);
                    c[formats] = rs.getLong("c" + i + "_iso");
                    out.put(slice.get(i), c);
                }
                return null;
            });
        }
        return out;
    }

    private static boolean textual(String type) {
        return type.equals("VARCHAR") || type.equals("JSON");
    }

    /** SQL giving a textual column's values as text: a JSON column's strings without their quotes. */
    private static String text(String name, String type) {
        return type.equals("JSON") ? "json_extract_string(" + Sql.id(name) + ", '$')" : Sql.id(name);
    }

    private static String nativeKind(String type) {
        if (numericType(type)) return Typing.NUMERIC;
        if (type.equals("DATE") || type.startsWith("TIMESTAMP")) return Typing.DATETIME;
        if (type.equals("BOOLEAN")) return Typing.BOOLEAN;
        return Typing.TEXT;
    }
}
