package dev.labdesk.worker.agent.analysis.experiment;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL text helpers and one statement per query (DuckDB's JDBC closes a statement whose query failed). */
final class Sql {
    private Sql() {}

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static String id(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    static void run(Connection db, String sql) throws SQLException {
        try (var s = db.createStatement()) {
            s.execute(sql);
        }
    }

    interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static <T> T query(Connection db, String sql, Rows<T> reader) throws SQLException {
        try (var s = db.createStatement(); var rs = s.executeQuery(sql)) {
            return reader.read(rs);
        }
    }
}
