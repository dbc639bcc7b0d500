package dev.labdesk.worker.agent.analysis;

import dev.labdesk.worker.agent.analysis.profile.Profiler;
import dev.labdesk.worker.agent.analysis.progress.DuckDbQueryProgress;
import dev.labdesk.worker.agent.analysis.progress.QueryProgress;
import dev.labdesk.worker.agent.analysis.progress.TableProgress;

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
import java.util.regex.Pattern;

/**
 * Profiles table files with one in-memory DuckDB (opened on first use, spilling to the scratch
 * directory), through {@link Profiler}; and gives a table file's first rows to the model's tools.
 */
public final class TableProfiler implements AutoCloseable {

    /**
     * DuckDB's memory limit unless {@link #MEMORY_LIMIT_ENV} says otherwise; past it DuckDB spills to the scratch directory.
     * Sized so the agent's whole process stays within a fifth of what pandas needs for the same large table, at little cost in time.
     */
    public static final String DEFAULT_MEMORY_LIMIT = "768MB";
    /** The agent's environment variable for DuckDB's memory limit, e.g. {@code 512MB}. */
    public static final String MEMORY_LIMIT_ENV = "LABDESK_DUCKDB_MEMORY_LIMIT";
    private static final Pattern MEMORY = Pattern.compile("\\d{1,9}(\\.\\d{1,3})?\\s?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", Pattern.CASE_INSENSITIVE);

    private final Path scratch;
    private final Profiler.Keeper keeper;
    private final TableProgress progress;
    private final String memoryLimit;
    private Connection db; // opened by the first table: a volume without one never pays for DuckDB's start
    private int aliases;
    private Profiler profiler;

    /** @param scratch a private directory for DuckDB's spill files and for aliases of awkward file names */
    public TableProfiler(Path scratch) {
        this(scratch, (Profiler.Keeper) null);
    }

    /** @param keeper told of every typed table before it is dropped (the model's query tool copies them); may be null */
    public TableProfiler(Path scratch, Profiler.Keeper keeper) {
        this(scratch, keeper, TableProgress.NONE);
    }

    /** @param progress told each table's stages, and given DuckDB's progress on the running query to watch */
    public TableProfiler(Path scratch, Profiler.Keeper keeper, TableProgress progress) {
        this(scratch, keeper, progress, memoryLimit(System.getenv(MEMORY_LIMIT_ENV)));
    }

    /** @param memoryLimit DuckDB's memory limit, as {@link #memoryLimit(String)} accepts it */
    public TableProfiler(Path scratch, String memoryLimit) {
        this(scratch, null, TableProgress.NONE, memoryLimit);
    }

    public TableProfiler(Path scratch, Profiler.Keeper keeper, TableProgress progress, String memoryLimit) {
        if (!MEMORY.matcher(memoryLimit).matches()) throw new IllegalArgumentException("not a memory size: " + memoryLimit);
        this.scratch = scratch;
        this.keeper = keeper;
        this.progress = progress;
        this.memoryLimit = memoryLimit;
    }

    /** The memory limit a setting asks for (a number and a unit, e.g. {@code 512MB}), or {@link #DEFAULT_MEMORY_LIMIT} when it is unset or not a size. */
    public static String memoryLimit(String setting) {
        return setting != null && MEMORY.matcher(setting.strip()).matches() ? setting.strip() : DEFAULT_MEMORY_LIMIT;
    }

    /**
     * The database, opened on first use: starting DuckDB (unpacking and loading its 60 MB native
     * library) is about half of an agent's CPU, and a volume of raw files has nothing for it to read.
     */
    private Connection db() throws SQLException {
        if (db != null) return db;
        var opened = DriverManager.getConnection("jdbc:duckdb:");
        try {
            // every core the agent may use; spill files in its own scratch directory so a table larger than the limit is still read
            for (var setting : List.of("SET threads = " + Runtime.getRuntime().availableProcessors(), "SET memory_limit = " + literal(memoryLimit),
                    "SET enable_progress_bar = false", "SET autoinstall_known_extensions = false",
                    "SET temp_directory = " + literal(scratch.resolve("duckdb-tmp").toString())))
                try (var s = opened.createStatement()) {
                    s.execute(setting);
                }
            if (progress != TableProgress.NONE) progress.watch(DuckDbQueryProgress.on(opened));
        } catch (SQLException e) {
            opened.close();
            throw e;
        }
        return db = opened;
    }

    /** The profile's database (opened if no table did), for the hypothesis test's queries on the same files. */
    public Connection database() throws SQLException {
        return db();
    }

    /** The tables of one file (exact statistics, see {@link Profiler}), the document it is, or why it was not read. */
    public FileOutcome profile(String relativePath, Path file, FileFormat format) throws SQLException, IOException {
        if (profiler == null) profiler = new Profiler(db(), scratch, keeper, progress);
        return profiler.profile(relativePath, readablePath(file), format);
    }

    /** The first {@code n} rows of a table file, values as text. */
    public List<Map<String, String>> sample(Path file, FileFormat format, int n) throws SQLException, IOException {
        return sample(format.readFunction(literal(readablePath(file).toString())), n);
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

    @Override
    public void close() throws SQLException {
        progress.watch(QueryProgress.NONE); // no more polling of a database about to close
        if (db != null) db.close();
    }
}
