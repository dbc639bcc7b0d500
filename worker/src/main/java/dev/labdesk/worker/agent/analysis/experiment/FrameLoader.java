package dev.labdesk.worker.agent.analysis.experiment;

import java.util.Optional;
import java.io.UncheckedIOException;

import dev.labdesk.worker.agent.analysis.profile.Sql;

import dev.labdesk.worker.agent.analysis.FileFormat;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.profile.GridBlocks;
import dev.labdesk.worker.agent.analysis.profile.RowLetters;
import dev.labdesk.worker.agent.analysis.profile.HeaderBlock;
import dev.labdesk.worker.agent.analysis.profile.Missing;
import dev.labdesk.worker.agent.analysis.profile.TextFile;
import dev.labdesk.worker.agent.analysis.profile.XlsxSheets;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads the profiled tables into DuckDB again, every value as text, for the hypothesis test: a header block
 * above the table (as plate readers write) is skipped where the profile's {@link HeaderBlock} finds it, and each column
 * is described ({@link FrameColumn}).
 * Tables too large to test here are left out and said so.
 */
final class FrameLoader {
    /** Cells (rows × columns) beyond which a table is not loaded for the test: it is held again as text, and its rows read into memory. */
    static final long MAX_CELLS = 20_000_000;
    static final int MAX_COLUMNS = 1_000;
    /** Columns described per scan. */
    private static final int SLICE = 50;

    private final Connection db;
    private final Path scratch;
    private final List<String> skipped = new ArrayList<>();
    private final Map<String, Delimited> sources = new HashMap<>();
    private int count;

    /**
     * The delimited text a frame was read from (a CSV, or a workbook sheet written as CSV), and that file's (or sheet's) name:
     * the frame's own, or, for one of its stacked plate grids, the name its grids share.
     */
    record Delimited(String table, Path file, char delimiter) {}

    FrameLoader(Connection db, Path scratch) {
        this.db = db;
        this.scratch = scratch;
    }

    /** Why some tables were not looked at. */
    List<String> skipped() {
        return List.copyOf(skipped);
    }

    List<Frame> load(Path volume, List<TableProfile> profiles) {
        var frames = new ArrayList<Frame>();
        var workbooks = new HashMap<String, Map<String, Path>>();
        for (var p : profiles) {
            if (p.rows() == 0 || p.columns().isEmpty()) continue;
            if (p.rows() * p.columns().size() > MAX_CELLS || p.columns().size() > MAX_COLUMNS) {
                skipped.add(p.path() + " (" + p.rows() + " rows, " + p.columns().size() + " columns: too large to test here)");
                continue;
            }
            try {
                var whole = p.grid() == null ? p.path() : p.grid().of(); // a grid of a file is read from the file's lines, as the profile read it
                var file = whole.contains("#") && p.format() == FileFormat.XLSX ? whole.substring(0, whole.indexOf('#')) : whole;
                var frame = switch (p.format()) {
                    case CSV, TSV -> {
                        var text = TextFile.inspect(volume.resolve(file), scratch, p.format() == FileFormat.TSV ? '\t' : ',');
                        if (text.problem() != null) throw new IOException(text.problem());
                        yield delimited(p, whole, text.readable(), text.delimiter());
                    }
                    case XLSX -> {
                        var sheets = workbooks.computeIfAbsent(file, f -> sheets(volume.resolve(f)));
                        var csv = sheets.get(whole.substring(whole.indexOf('#') + 1));
                        if (csv == null) throw new IOException("sheet not found");
                        yield delimited(p, whole, csv, ',');
                    }
                    case PARQUET -> typed(p.path(), "read_parquet(" + Sql.literal(volume.resolve(file).toString()) + ")");
                    case JSON -> typed(p.path(), "read_json_auto(" + Sql.literal(volume.resolve(file).toString()) + ")");
                    case JSONL -> typed(p.path(), "read_json_auto(" + Sql.literal(volume.resolve(file).toString()) + ", format = 'newline_delimited')");
                    default -> null;
                };
                if (frame != null) frames.add(frame);
            } catch (IOException | SQLException | RuntimeException e) {
                skipped.add(p.path() + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("")) + ")");
            }
        }
        return frames;
    }

    private Map<String, Path> sheets(Path xlsx) {
        try {
            var out = new LinkedHashMap<String, Path>();
            for (var s : XlsxSheets.convert(xlsx, scratch)) out.put(s.name(), s.csv());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The delimited text the frame of this name was read from, if it was read from one. */
    Optional<Delimited> source(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    private Frame delimited(TableProfile p, String whole, Path file, char delimiter) throws IOException, SQLException {
        sources.put(p.path(), new Delimited(whole, file, delimiter));
        if (p.grid() != null) {
            // the grid's own lines, cut out by the profile's block reader
            var grids = GridBlocks.read(file, delimiter);
            var block = grids.at((int) p.grid().header() - 1).orElseThrow(() -> new IOException("plate grid not found on line " + p.grid().header()));
            var csv = grids.write(block, scratch);
            return read(p.path(), csv, ',', HeaderBlock.NONE, List.of(), block.title() == null ? "" : block.title());
        }
        var block = HeaderBlock.find(file, delimiter); // the profile's own rule, so the test reads the rows the report describes
        var names = RowLetters.names(db, GridBlocks.read(file, delimiter), file, delimiter, block.skip()); // and its column names
        return read(p.path(), file, delimiter, block, names, preambleText(block));
    }

    private Frame read(String name, Path file, char delimiter, HeaderBlock block, List<String> names, String preamble) throws SQLException {
        var table = "hx_" + (++count);
        Sql.run(db, "CREATE TEMP TABLE " + table + " AS SELECT * FROM read_csv(" + Sql.literal(file.toString()) + ", delim = "
                + Sql.literal(String.valueOf(delimiter)) + ", header = true, skip = " + block.skip() + ", all_varchar = true, quote = '\"',"
                + " escape = '\"', null_padding = true, ignore_errors = true" + RowLetters.option(names) + ")");
        return describe(name, table, preamble);
    }

    private Frame typed(String name, String source) throws SQLException {
        var columns = Sql.query(db, "DESCRIBE SELECT * FROM " + source, rs -> {
            var l = new ArrayList<String>();
            while (rs.next()) l.add(rs.getString("column_name"));
            return l;
        });
        var table = "hx_" + (++count);
        Sql.run(db, "CREATE TEMP TABLE " + table + " AS SELECT " + columns.stream().map(c -> "CAST(" + Sql.id(c) + " AS VARCHAR) AS " + Sql.id(c))
                .collect(Collectors.joining(", ")) + " FROM " + source);
        return describe(name, table, "");
    }

    /** Counts and levels of every column of a loaded table; columns with no value at all (a sheet's padding) are dropped. */
    Frame describe(String name, String table, String preamble) throws SQLException {
        var names = Sql.query(db, "DESCRIBE " + table, rs -> {
            var l = new ArrayList<String>();
            while (rs.next()) l.add(rs.getString("column_name"));
            return l;
        });
        long rows = Sql.query(db, "SELECT count(*) FROM " + table, rs -> rs.next() ? rs.getLong(1) : 0L);
        var all = new ArrayList<long[]>();
        for (int from = 0; from < names.size(); from += SLICE) { // one scan per slice of columns, not one per column
            var slice = names.subList(from, Math.min(names.size(), from + SLICE));
            var sql = new StringBuilder("SELECT ");
            for (int i = 0; i < slice.size(); i++) {
                var v = value(slice.get(i));
                sql.append(i == 0 ? "" : ", ").append("count(").append(v).append("), count(TRY_CAST(").append(v).append(" AS DOUBLE)), count(*) FILTER (WHERE regexp_full_match(")
                        .append(v).append(", '\\d+:\\d{2}(:\\d{2}(\\.\\d+)?)?')), count(TRY_CAST(").append(v).append(" AS TIMESTAMP)), count(DISTINCT ").append(v).append(')');
            }
            sql.append(" FROM ").append(table);
            Sql.query(db, sql.toString(), rs -> {
                rs.next();
                for (int i = 0; i < slice.size(); i++)
                    all.add(new long[] {rs.getLong(5 * i + 1), rs.getLong(5 * i + 2), rs.getLong(5 * i + 3), rs.getLong(5 * i + 4), rs.getLong(5 * i + 5)});
                return null;
            });
        }
        var columns = new ArrayList<FrameColumn>();
        for (int c = 0; c < names.size(); c++) {
            var n = names.get(c);
            var v = value(n);
            var counts = all.get(c);
            if (counts[0] == 0) continue;
            var levels = counts[4] <= FrameColumn.LEVELS ? Sql.query(db, "SELECT " + v + " AS v, count(*) AS k FROM " + table + " WHERE " + v
                    + " IS NOT NULL GROUP BY v ORDER BY k DESC, v", rs -> {
                var l = new ArrayList<String>();
                while (rs.next()) l.add(rs.getString(1));
                return l;
            }) : List.<String>of();
            columns.add(new FrameColumn(n, counts[0], counts[1], counts[2], counts[3], counts[4], levels));
        }
        return new Frame(name, table, rows, columns, List.of(), preamble);
    }

    /** SQL: a column's trimmed value, NULL when it is missing or a placeholder (NA, n/a, …). */
    static String value(String column) {
        var id = Sql.id(column);
        return "(CASE WHEN list_contains(" + Missing.list() + ", trim(" + id + ")) THEN NULL ELSE trim(" + id + ") END)";
    }

    /** The metadata lines above the header as text (key, then value), for naming what a plate's wells hold. */
    private static String preambleText(HeaderBlock block) {
        return block.preamble().stream().map(l -> (l.key() + " " + l.value()).strip()).collect(Collectors.joining("\n"));
    }

    /** Drops every table this loader made. */
    void dropAll() {
        for (int i = 1; i <= count; i++)
            try {
                Sql.run(db, "DROP TABLE IF EXISTS hx_" + i);
            } catch (SQLException ignored) {
                // the table was never made
            }
    }

    /** A new table name in this loader's namespace, dropped with the others. */
    String nextTable() {
        return "hx_" + (++count);
    }
}
