package dev.labdesk.worker.agent.narrative;

import java.text.Normalizer;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.profile.Profiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The session's tables as the model may query them: while the profiler runs, each typed table is
 * copied into a DuckDB file in the scratch directory (same types as the profile, every format,
 * no second read of the files); {@link #open} then opens that file read-only in a database of its
 * own with file access disabled and the configuration locked, so a query reaches nothing else.
 * A copy that fails leaves that table out of the model's reach, never the profile.
 */
public final class SandboxedTables implements Profiler.Keeper {
    private static final String CATALOG = "model_tables";
    /** What one query may hold in memory and spill to disk; two threads on a machine the agent shares. */
    static final String MEMORY = "512MB", SPILL = "1GB";
    static final int THREADS = 2;

    private final Path file;
    private final Path spill;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();
    private final List<String> failures = new ArrayList<>();
    private final Set<String> keywords = new HashSet<>(); // DuckDB's words a column name must be quoted to be
    private Connection writer;

    /** @param scratch the agent's private directory (the copies are deleted with it) */
    public SandboxedTables(Path scratch) {
        this.file = scratch.resolve("model-tables.duckdb");
        this.spill = scratch.resolve("model-spill");
    }

    /** One table as the model sees it: its SQL name, the file it came from, its columns and types, and each column's name as SQL needs it. */
    public record Table(String name, String path, long rows, List<TableProfile.Column> columns, List<String> sqlColumns) {}

    @Override
    public void keep(String relativePath, Connection db, String table) {
        try {
            if (writer == null) {
                run(db, "ATTACH " + literal(file.toString()) + " AS " + CATALOG);
                writer = db;
                try (var s = db.createStatement(); var rs = s.executeQuery(
                        "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category NOT IN ('unreserved', 'column_name')")) {
                    while (rs.next()) keywords.add(rs.getString(1));
                }
            }
            var name = names.containsKey(relativePath) ? names.get(relativePath) : unique(db, relativePath);
            run(db, "CREATE OR REPLACE TABLE " + CATALOG + "." + id(name) + " AS SELECT * FROM " + table);
            names.put(relativePath, name);
        } catch (SQLException e) {
            failures.add(relativePath); // the model is told the table cannot be queried
        }
    }

    /** The tables the model may query, in the profile's order; profiles whose copy failed (or were too wide to type) are left out. */
    public List<Table> tables(List<TableProfile> profiles) {
        return profiles.stream().filter(p -> names.containsKey(p.path()) && !failures.contains(p.path()))
                .map(p -> new Table(names.get(p.path()), p.path(), p.rows(), p.columns(),
                        p.columns().stream().map(c -> sqlColumn(c.name())).toList())).toList();
    }

    /** A column name as a query must write it: plain when it is a lowercase word DuckDB does not reserve, else in double quotes. */
    String sqlColumn(String name) {
        return name.matches("[a-z_][a-z0-9_]*") && !keywords.contains(name) ? name : id(name);
    }

    /**
     * The model's own database: the copies read-only, no file system, no extensions to install, the
     * configuration locked after the limits are set; queries are cut after {@code timeout}.
     */
    public QueryTool open(Duration timeout, ObjectMapper mapper) throws SQLException {
        if (writer != null && !writer.isClosed())
            run(writer, "DETACH " + CATALOG); // the file may now be opened by another database (closing the profiler's did that too)
        writer = null;
        Connection db;
        if (Files.exists(file)) {
            var props = new Properties();
            props.setProperty("duckdb.read_only", "true");
            db = DriverManager.getConnection("jdbc:duckdb:" + file, props);
        } else {
            db = DriverManager.getConnection("jdbc:duckdb:");
        }
        try {
            for (var setting : List.of("SET threads = " + THREADS, "SET memory_limit = '" + MEMORY + "'",
                    "SET temp_directory = " + literal(spill.toString()), "SET max_temp_directory_size = '" + SPILL + "'",
                    "SET enable_progress_bar = false", "SET autoinstall_known_extensions = false", "SET autoload_known_extensions = false",
                    "SET enable_external_access = false", "SET lock_configuration = true"))
                run(db, setting);
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        return new QueryTool(db, timeout, mapper);
    }

    /** A plain SQL name from the file's name: lowercase letters, digits and underscores, unique, never a reserved word. */
    private String unique(Connection db, String relativePath) throws SQLException {
        var last = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        var grid = ""; // one of a file's stacked plate grids, "layout.csv · Strain": named layout_strain, not layout_2
        int at = last.indexOf(" · ");
        if (at >= 0) {
            grid = last.substring(at + 3);
            last = last.substring(0, at);
        }
        var sheet = "";
        int hash = last.indexOf('#');
        if (hash >= 0) {
            sheet = last.substring(hash + 1);
            last = last.substring(0, hash);
        }
        int dot = last.indexOf('.');
        var stem = dot > 0 ? last.substring(0, dot) : last;
        var base = slug((sheet.isEmpty() ? stem : stem + "_" + sheet) + (grid.isEmpty() ? "" : "_" + grid));
        if (base.isEmpty()) base = "t";
        if (Character.isDigit(base.charAt(0))) base = "t_" + base;
        if (base.length() > 48) base = base.substring(0, 48);
        if (reserved(db, base)) base = base + "_table";
        var name = base;
        for (int n = 2; !used.add(name); n++) name = base + "_" + n;
        return name;
    }

    static String slug(String s) {
        var ascii = Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        return ascii.replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    }

    private static boolean reserved(Connection db, String word) throws SQLException {
        try (var s = db.prepareStatement("SELECT count(*) FROM duckdb_keywords() WHERE keyword_name = ? AND keyword_category <> 'unreserved'")) {
            s.setString(1, word);
            try (var rs = s.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    private static void run(Connection db, String sql) throws SQLException {
        try (var s = db.createStatement()) {
            s.execute(sql);
        }
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static String id(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
