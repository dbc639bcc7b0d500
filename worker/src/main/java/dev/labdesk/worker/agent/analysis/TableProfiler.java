package dev.labdesk.worker.agent.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Profiles table files with one in-memory DuckDB: exact row and null counts in one scan, then
 * {@code SUMMARIZE} for types, min/max, mean and approximate distinct counts, then a few sample rows.
 * Each query gets its own statement: DuckDB's JDBC driver closes a statement whose query failed.
 */
public final class TableProfiler implements AutoCloseable {
    static final int SAMPLE_ROWS = 5;
    private static final Set<String> NUMERIC = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "REAL", "DOUBLE");

    private final Path scratch;
    private Connection db; // opened by the first table: a volume without one never pays for DuckDB's start
    private int aliases;

    /** @param scratch a private directory for DuckDB's spill files and for aliases of awkward file names */
    public TableProfiler(Path scratch) {
        this.scratch = scratch;
    }

    /**
     * The database, opened on first use: starting DuckDB (unpacking and loading its 60 MB native
     * library) is about half of an agent's CPU, and a volume of raw files has nothing for it to read.
     */
    private Connection db() throws SQLException {
        if (db != null) return db;
        var opened = DriverManager.getConnection("jdbc:duckdb:");
        try {
            for (var setting : List.of("SET threads = 2", "SET memory_limit = '1GB'", "SET enable_progress_bar = false",
                    "SET autoinstall_known_extensions = false", "SET temp_directory = " + literal(scratch.resolve("duckdb-tmp").toString())))
                try (var s = opened.createStatement()) {
                    s.execute(setting);
                }
        } catch (SQLException e) {
            opened.close();
            throw e;
        }
        return db = opened;
    }

    public TableProfile profile(String relativePath, Path file, FileFormat format) throws SQLException, IOException {
        var source = format.readFunction(literal(readablePath(file).toString()));
        var columns = describe(source);
        if (columns.isEmpty()) throw new SQLException("no columns found");
        var counts = counts(source, columns.keySet());
        var profiled = new ArrayList<TableProfile.Column>(columns.size());
        try (var s = db().createStatement(); var rs = s.executeQuery("SUMMARIZE SELECT * FROM " + source)) {
            var order = List.copyOf(columns.keySet());
            while (rs.next()) {
                var name = rs.getString("column_name");
                var type = rs.getString("column_type");
                long nonNull = counts[1 + order.indexOf(name)];
                profiled.add(new TableProfile.Column(name, type, counts[0] - nonNull, rs.getString("min"), rs.getString("max"),
                        numeric(type) ? parseDouble(rs.getString("avg")) : null, (Long) rs.getObject("approx_unique", Long.class)));
            }
        }
        return new TableProfile(relativePath, format, counts[0], profiled, sample(source, SAMPLE_ROWS));
    }

    /** The first {@code n} rows of a table file, values as text. */
    public List<Map<String, String>> sample(Path file, FileFormat format, int n) throws SQLException, IOException {
        return sample(format.readFunction(literal(readablePath(file).toString())), n);
    }

    private Map<String, String> describe(String source) throws SQLException {
        var columns = new LinkedHashMap<String, String>();
        try (var s = db().createStatement(); var rs = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            while (rs.next()) columns.put(rs.getString("column_name"), rs.getString("column_type"));
        }
        return columns;
    }

    /** {@code [rows, nonNull(col1), nonNull(col2), …]} in one scan. */
    private long[] counts(String source, Iterable<String> columns) throws SQLException {
        var sql = new StringBuilder("SELECT count(*)");
        for (var c : columns) sql.append(", count(").append(identifier(c)).append(')');
        sql.append(" FROM ").append(source);
        try (var s = db().createStatement(); var rs = s.executeQuery(sql.toString())) {
            rs.next();
            int n = rs.getMetaData().getColumnCount();
            var out = new long[n];
            for (int i = 0; i < n; i++) out[i] = rs.getLong(i + 1);
            return out;
        }
    }

    private List<Map<String, String>> sample(String source, int n) throws SQLException {
        var rows = new ArrayList<Map<String, String>>();
        try (var s = db().createStatement(); var rs = s.executeQuery("SELECT * FROM " + source + " LIMIT " + n)) {
            var md = rs.getMetaData();
            while (rs.next()) rows.add(row(rs, md.getColumnCount()));
        }
        return rows;
    }

    private static Map<String, String> row(ResultSet rs, int n) throws SQLException {
        var row = new LinkedHashMap<String, String>();
        for (int i = 1; i <= n; i++) row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
        return row;
    }

    /**
     * DuckDB expands {@code * ? [} in a path as a glob and has no escape for them, so such a file
     * is read through a symbolic link with a plain name (same suffix, so format and compression
     * are still recognised).
     */
    private Path readablePath(Path file) throws IOException {
        var s = file.toString();
        if (s.indexOf('*') < 0 && s.indexOf('?') < 0 && s.indexOf('[') < 0) return file;
        var name = file.getFileName().toString();
        int dot = name.indexOf('.');
        var alias = scratch.resolve("alias-" + (++aliases) + (dot < 0 ? "" : name.substring(dot).replace("[", "").replace("*", "").replace("?", "")));
        Files.deleteIfExists(alias);
        return Files.createSymbolicLink(alias, file.toAbsolutePath());
    }

    /** An SQL string literal: quotes doubled; DuckDB does not treat backslashes in '…' specially. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static String identifier(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static boolean numeric(String type) {
        return NUMERIC.contains(type) || type.startsWith("DECIMAL");
    }

    private static Double parseDouble(String s) {
        if (s == null) return null;
        try {
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() throws SQLException {
        if (db != null) db.close();
    }
}
