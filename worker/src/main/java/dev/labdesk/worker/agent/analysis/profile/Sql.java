package dev.labdesk.worker.agent.analysis.profile;

import java.util.Locale;
import java.lang.management.ManagementFactory;
import com.sun.management.OperatingSystemMXBean;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL text helpers and one-statement-per-query execution (DuckDB's JDBC closes a statement whose query failed). */
public final class Sql {
    /** When this system property is set, every statement's wall time goes to stderr: how the profile's cost is measured, query by query. */
    public static final String TIMES_PROPERTY = "labdesk.sql.times";
    private static final boolean TIMES = System.getProperty(TIMES_PROPERTY) != null;

    private Sql() {}

    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    public static String id(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** SQL: the text without its leading and trailing spaces (what {@code trim} removes), trimmed only when it has some: trimming every value costs more than looking at both ends. */
    public static String trim(String expr) {
        return "CASE WHEN starts_with(" + expr + ", ' ') OR ends_with(" + expr + ", ' ') THEN trim(" + expr + ") ELSE " + expr + " END";
    }

    /**
     * SQL: the trimmed text {@code t} as a DOUBLE, or NULL; cast only when its first character may start a number (a digit, a sign,
     * a point, or the i/n of inf and nan): a failed cast costs DuckDB many times a successful one.
     */
    public static String number(String t) {
        return "CASE WHEN ascii(" + t + ") BETWEEN 48 AND 57 OR ascii(" + t + ") IN (43, 45, 46, 73, 78, 105, 110) THEN TRY_CAST(" + t + " AS DOUBLE) END";
    }

    public static void run(Connection db, String sql) throws SQLException {
        long[] start = start();
        try (var s = db.createStatement()) {
            s.execute(sql);
        } finally {
            time(start, sql);
        }
    }

    public interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    public static <T> T query(Connection db, String sql, Rows<T> reader) throws SQLException {
        long[] start = start();
        try (var s = db.createStatement(); var rs = s.executeQuery(sql)) {
            return reader.read(rs);
        } finally {
            time(start, sql);
        }
    }

    /** Wall and process CPU time (DuckDB's threads are native: only the process's total counts them), when timing. */
    private static long[] start() {
        return TIMES ? new long[] {System.nanoTime(), cpu()} : null;
    }

    private static long cpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static void time(long[] start, String sql) {
        if (start != null)
            System.err.printf(Locale.ROOT, "sql %7.3f s wall %7.3f s cpu  %s%n", (System.nanoTime() - start[0]) / 1e9, (cpu() - start[1]) / 1e9,
                    sql.length() > 140 ? sql.substring(0, 140) + "…" : sql);
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
