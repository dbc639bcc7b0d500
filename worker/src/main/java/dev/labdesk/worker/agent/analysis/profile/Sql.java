package dev.labdesk.worker.agent.analysis.profile;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL text helpers and one-statement-per-query execution (DuckDB's JDBC closes a statement whose query failed). */
public final class Sql {
    private Sql() {}

    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    public static String id(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    public static void run(Connection db, String sql) throws SQLException {
        try (var s = db.createStatement()) {
            s.execute(sql);
        }
    }

    public interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    public static <T> T query(Connection db, String sql, Rows<T> reader) throws SQLException {
        try (var s = db.createStatement(); var rs = s.executeQuery(sql)) {
            return reader.read(rs);
        }
    }

    static Double dbl(ResultSet rs, String column) throws SQLException {
        var v = rs.getObject(column);
        return v instanceof Number n ? n.doubleValue() : null;
    }

    static Double dbl(ResultSet rs, int column) throws SQLException {
        var v = rs.getObject(column);
        return v instanceof Number n ? n.doubleValue() : null;
    }

    static long lng(ResultSet rs, String column) throws SQLException {
        var v = rs.getObject(column);
        return v instanceof Number n ? n.longValue() : 0;
    }
}
