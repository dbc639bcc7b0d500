package dev.labdesk.worker.agent.analysis.experiment;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.labdesk.worker.agent.analysis.profile.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Reads the rows of the selected groups whose measure is a number (and whose time is known, for a time course). */
final class Observations {
    private Observations() {}

    static List<Observation> read(Connection db, Selection s) throws SQLException {
        var g = FrameLoader.value(s.group().name());
        var r = s.replicate() == null ? "NULL" : FrameLoader.value(s.replicate().name());
        var t = s.time() == null ? "NULL" : time(s.time());
        var m = "TRY_CAST(" + FrameLoader.value(s.measure().name()) + " AS DOUBLE)";
        var sql = "SELECT g, r, t, m FROM (SELECT " + g + " AS g, " + r + " AS r, " + t + " AS t, " + m + " AS m FROM " + s.frame().sql()
                + (s.within().isEmpty() ? "" : " WHERE TRUE" + within(s)) + ")"
                + " WHERE g IN (" + s.groups().stream().map(Sql::literal).collect(Collectors.joining(", ")) + ") AND m IS NOT NULL AND isfinite(m)"
                + (s.time() == null ? "" : " AND t IS NOT NULL AND isfinite(t)");
        var rows = Sql.query(db, sql, rs -> {
            var l = new ArrayList<Observation>();
            while (rs.next()) {
                var time = rs.getObject(3);
                l.add(new Observation(rs.getString(1), rs.getString(2), time instanceof Number n ? n.doubleValue() : Double.NaN, rs.getDouble(4)));
            }
            return l;
        });
        if (s.time() != null && s.time().timestamp()) { // hours since the first time point
            double first = rows.stream().mapToDouble(Observation::time).min().orElse(0);
            return rows.stream().map(o -> new Observation(o.group(), o.replicate(), o.time() - first, o.value())).toList();
        }
        return rows;
    }

    /** SQL: " AND" the rows the selection is within (nothing when it is all rows). */
    static String within(Selection s) {
        return s.within().stream().map(w -> " AND " + FrameLoader.value(w.column().name()) + " = " + Sql.literal(w.value())).collect(Collectors.joining());
    }

    /** How many replicates (or rows, without a replicate column) each of {@code values} of the group column has, in the order given. */
    static Map<String, Long> count(Connection db, Selection s, List<String> values) throws SQLException {
        var g = FrameLoader.value(s.group().name());
        var what = s.replicate() == null ? "count(*)" : "count(DISTINCT " + FrameLoader.value(s.replicate().name()) + ")";
        var found = Sql.query(db, "SELECT " + g + " AS g, " + what + " FROM " + s.frame().sql() + " WHERE " + g + " IN ("
                + values.stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")" + within(s) + " GROUP BY g", rs -> {
            var m = new HashMap<String, Long>();
            while (rs.next()) m.put(rs.getString(1), rs.getLong(2));
            return m;
        });
        var out = new LinkedHashMap<String, Long>();
        for (var v : values) out.put(v, found.getOrDefault(v, 0L));
        return out;
    }

    /** SQL: the time column as a number: itself, h:mm:ss as hours, or a date-time as hours since 1970 (shifted to the first later). */
    static String time(FrameColumn c) {
        var v = FrameLoader.value(c.name());
        if (c.numeric()) return "TRY_CAST(" + v + " AS DOUBLE)";
        if (c.duration()) return "(epoch(TRY_CAST(" + v + " AS INTERVAL)) / 3600.0)";
        return "(epoch(TRY_CAST(" + v + " AS TIMESTAMP)) / 3600.0)";
    }

    /** How the time axis is measured, for people. */
    static String timeUnit(FrameColumn c) {
        if (c.numeric()) return c.name();
        if (c.duration()) return "hours (from " + c.name() + ")";
        return "hours since the first " + c.name();
    }
}
