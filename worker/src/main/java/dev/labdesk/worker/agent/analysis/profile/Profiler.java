package dev.labdesk.worker.agent.analysis.profile;

import java.nio.file.Files;
import java.util.Optional;

import dev.labdesk.worker.agent.analysis.Document;
import dev.labdesk.worker.agent.analysis.FileFormat;
import dev.labdesk.worker.agent.analysis.FileOutcome;
import dev.labdesk.worker.agent.analysis.Numbers;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.progress.ProfileStage;
import dev.labdesk.worker.agent.analysis.progress.TableProgress;

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
 * Profiles one file with DuckDB: reads it once into a temporary table (text files as text, so
 * every value can be typed by the {@link Typer} and no malformed line is silently lost), types it
 * into a second table, and computes exact statistics there. Both tables are dropped afterwards;
 * DuckDB spills them to the scratch directory when they outgrow its memory limit.
 */
public final class Profiler {
    static final int SAMPLE_ROWS = 5;
    private static final int BAD_LINES_SHOWN = 10;
    /** Wider tables are profiled as one long (column, value) table: DuckDB keeps blocks per column, and thousands do not fit in memory. */
    static final int WIDE = 1_000, SAMPLE_COLUMNS_WIDE = 20;

    /** Told of each typed table before it is dropped, to copy it (the model's queries read those copies); must not throw. */
    public interface Keeper {
        void keep(String relativePath, Connection db, String table);
    }

    private final Connection db;
    private final Path scratch;
    private final Keeper keeper;
    private final TableProgress progress;
    private int tables;

    public Profiler(Connection db, Path scratch) {
        this(db, scratch, null);
    }

    public Profiler(Connection db, Path scratch, Keeper keeper) {
        this(db, scratch, keeper, TableProgress.NONE);
    }

    public Profiler(Connection db, Path scratch, Keeper keeper, TableProgress progress) {
        this.db = db;
        this.scratch = scratch;
        this.keeper = keeper;
        this.progress = progress;
    }

    /** @param file the file to read, by a path DuckDB accepts (no glob characters) */
    public FileOutcome profile(String relativePath, Path file, FileFormat format) throws SQLException, IOException {
        progress.stage(ProfileStage.READING);
        // one reason for every kind: DuckDB's readers would otherwise make an empty JSON file a table of nothing
        if (Files.size(file) == 0) return new FileOutcome.NotRead("not read: the file is empty");
        return switch (format) {
            case ARROW -> arrow(relativePath, file);
            case XLS -> new FileOutcome.NotRead("not read: legacy Excel .xls (binary) workbooks are not supported; save it as .xlsx or CSV");
            case XLSX -> workbook(relativePath, file);
            case CSV, TSV -> {
                var text = TextFile.inspect(file, scratch, format == FileFormat.TSV ? '\t' : ',');
                if (text.problem() != null) yield new FileOutcome.NotRead(text.problem());
                var notes = new ArrayList<String>();
                if (text.encodingNote() != null) notes.add(text.encodingNote());
                yield new FileOutcome.Tables(delimited(relativePath, format, text.readable(), text.delimiter(), notes));
            }
            case JSON -> {
                var shape = JsonShape.document(file);
                if (shape.isPresent())
                    yield new FileOutcome.NotTable(new Document(relativePath, format, shape.get().kind(), shape.get().keys()));
                yield new FileOutcome.Tables(List.of(table(relativePath, format, new TableSource.Query("read_json_auto(" + Sql.literal(file.toString()) + ")", true), new ArrayList<>())));
            }
            case JSONL -> new FileOutcome.Tables(List.of(table(relativePath, format,
                    new TableSource.Query("read_json_auto(" + Sql.literal(file.toString()) + ", format = 'newline_delimited')", true), new ArrayList<>())));
            case PARQUET -> new FileOutcome.Tables(List.of(table(relativePath, format,
                    new TableSource.Query("read_parquet(" + Sql.literal(file.toString()) + ")", false), new ArrayList<>())));
            case OTHER -> throw new IllegalArgumentException("not a table format");
        };
    }

    /** An Arrow IPC file or stream, copied batch by batch into a table of its own types, then profiled like Parquet. */
    private FileOutcome arrow(String relativePath, Path file) throws SQLException, IOException {
        var copy = "arrow_" + (tables + 1);
        try {
            var imported = ArrowImport.into(db, file, copy, progress);
            return new FileOutcome.Tables(List.of(table(relativePath, FileFormat.ARROW, new TableSource.Query(copy, false), new ArrayList<>(imported.notes()))));
        } catch (ArrowImport.NotArrow e) {
            return new FileOutcome.NotRead(e.getMessage());
        } finally {
            Sql.run(db, "DROP TABLE IF EXISTS " + copy);
        }
    }

    private FileOutcome workbook(String relativePath, Path file) throws SQLException, IOException {
        List<XlsxSheets.Sheet> sheets;
        try {
            sheets = XlsxSheets.convert(file, scratch);
        } catch (IOException e) {
            return new FileOutcome.NotRead("not read: " + e.getMessage());
        }
        if (sheets.isEmpty()) return new FileOutcome.NotRead("not read: the workbook has no sheets");
        var out = new ArrayList<TableProfile>();
        for (var sheet : sheets) {
            var name = relativePath + "#" + sheet.name();
            if (sheet.rows() == 0) {
                out.add(new TableProfile(name, FileFormat.XLSX, 0, List.of(), List.of(), 0L, 0, List.of(), List.of(), List.of("the sheet is empty")));
                continue;
            }
            out.addAll(delimited(name, FileFormat.XLSX, sheet.csv(), ',', new ArrayList<>(List.of("sheet \"" + sheet.name() + "\""))));
        }
        return new FileOutcome.Tables(out);
    }

    /** The file's table, or, when it holds several plate grids one under another or one titled layout grid, each grid as a table of its own. */
    private List<TableProfile> delimited(String relativePath, FileFormat format, Path file, char delimiter, List<String> notes) throws SQLException, IOException {
        var grids = GridBlocks.read(file, delimiter);
        if (StackedGrids.ownTables(grids)) return stacked(relativePath, format, grids, notes);
        var block = HeaderBlock.find(file, delimiter);
        if (block.skip() > 0)
            notes.add("the table's header is line " + (block.skip() + 1) + "; the " + Numbers.count(block.preamble().size(), "metadata line")
                    + " above it " + (block.preamble().size() == 1 ? "is" : "are") + " listed as its preamble");
        var names = RowLetters.names(db, grids, file, delimiter, block.skip());
        RowLetters.unnamed(grids, block.skip()).filter(b -> !names.isEmpty()).ifPresent(b -> notes.add("the table's header is a plate grid's (line " + (b.header() + 1)
                + ", " + b.size() + "): its row letters, under an empty header cell, are the column `" + RowLetters.NAME + "`"));
        var profile = table(relativePath, format, new TableSource.Delimited(file, delimiter, block.skip(), names), notes);
        return List.of(block.preamble().isEmpty() ? profile : profile.withPreamble(block.preamble()));
    }

    /** Each grid of a file of plate grids profiled from its own lines, named by its title, with what was read from where. */
    private List<TableProfile> stacked(String relativePath, FileFormat format, GridBlocks grids, List<String> notes) throws SQLException, IOException {
        var out = new ArrayList<TableProfile>();
        var names = StackedGrids.names(grids.blocks());
        var preamble = grids.preamble().stream().map(l -> {
            var cells = grids.filled(l);
            var key = cells.getFirst().replaceAll(":+$", "").strip();
            return new TableProfile.MetadataLine(l + 1, key, String.join(", ", cells.subList(1, cells.size())));
        }).toList();
        for (int k = 0; k < grids.blocks().size(); k++) {
            var b = grids.blocks().get(k);
            var own = new ArrayList<>(notes);
            own.addAll(StackedGrids.notes(grids, k, names, format == FileFormat.XLSX ? "sheet" : "file"));
            var csv = grids.write(b, scratch);
            try {
                var profile = table(relativePath + " · " + names.get(k), format, new TableSource.Delimited(csv, ',', 0), own)
                        .withGrid(new TableProfile.Grid(relativePath, b.title(), b.header() + 1, b.last() + 1));
                out.add(preamble.isEmpty() ? profile : profile.withPreamble(preamble));
            } finally {
                Files.deleteIfExists(csv);
            }
        }
        return out;
    }

    private TableProfile table(String relativePath, FileFormat format, TableSource source, List<String> notes) throws SQLException {
        int k = ++tables;
        var raw = "raw_" + k;
        var rejects = source instanceof TableSource.Delimited ? "rejects_" + k : null;
        var temporary = new ArrayList<String>(); // made while profiling: dropped with the others
        String typed = null;
        try {
            // DuckDB stores each column of a table in blocks of its own: thousands of columns do not fit in memory as tables
            var read = read(source, k, raw);
            var columns = read.columns();
            if (columns.isEmpty()) throw new SQLException("no columns found");
            if (read.wide()) {
                progress.stage(ProfileStage.STATISTICS);
                var w = WideStatistics.of(db, raw, columns, "long_" + k);
                if (rejects != null) badLines(rejects, w.rows()).ifPresent(notes::add);
                notes.add(columns.size() + " columns: profiled column by column as one long table (counts, missing values, distinct values,"
                        + " min, max, mean, sd; numbers or text, no dates, no quantiles or histograms)");
                long missing = w.columns().stream().mapToLong(TableProfile.Column::nulls).sum();
                var first = columns.keySet().stream().limit(SAMPLE_COLUMNS_WIDE).map(Sql::id).collect(Collectors.joining(", "));
                return new TableProfile(relativePath, format, w.rows(), w.columns(), sample("(SELECT " + first + " FROM " + raw + ")", SAMPLE_ROWS), null, missing, List.of(),
                        TableStatistics.alerts(w.columns(), w.rows(), null, List.of()), notes);
            }
            // as written: taken before the columns are typed in place
            var sample = sample(source instanceof TableSource.Delimited d ? d.asWritten() : raw, SAMPLE_ROWS);
            progress.stage(ProfileStage.TYPING);
            var typings = new Typer(db, raw, Typer.SLICE).infer(columns);
            if (source instanceof TableSource.Delimited) typings = typings.stream().map(Typing::writtenAsIso).toList();
            typed = typed(raw, read.table(), typings, k);
            long rows = Sql.query(db, "SELECT count(*) FROM " + typed, rs -> rs.next() ? rs.getLong(1) : 0L);
            if (rejects != null) badLines(rejects, rows).ifPresent(notes::add);
            progress.stage(ProfileStage.STATISTICS);
            var columnStatistics = new ColumnStatistics(db, typed, ColumnStatistics.SLICE, ColumnStatistics.DETAILED, temporary);
            var profiled = columnStatistics.of(typings, rows);
            var values = new HashMap<String, String>();
            for (int i = 0; i < Math.min(profiled.size(), ColumnStatistics.DETAILED); i++) values.put(profiled.get(i).name(), columnStatistics.valueTable(i));
            progress.stage(ProfileStage.RELATIONS);
            var stats = new TableStatistics(db, typed);
            var duplicates = rows == 0 ? Long.valueOf(0) : stats.duplicateRows(profiled, rows);
            var correlations = stats.correlations(profiled, rows, values);
            var alerts = TableStatistics.alerts(profiled, rows, duplicates, correlations);
            long missing = profiled.stream().mapToLong(TableProfile.Column::nulls).sum();
            if (keeper != null) keeper.keep(relativePath, db, typed);
            return new TableProfile(relativePath, format, rows, profiled, sample, duplicates, missing, correlations, alerts, notes);
        } finally {
            for (var made : temporary)
                for (var kind : List.of("TABLE", "VIEW"))
                    try {
                        Sql.run(db, "DROP " + kind + " IF EXISTS " + made);
                    } catch (SQLException ignored) {
                        // of the other kind, or dropped with the database when the agent ends
                    }
            var drops = new ArrayList<String>();
            if (typed != null && !typed.equals(raw)) drops.add("DROP TABLE IF EXISTS " + typed);
            drops.addAll(List.of("DROP TABLE IF EXISTS long_" + k, "DROP TABLE IF EXISTS " + raw, "DROP VIEW IF EXISTS " + raw));
            if (rejects != null) drops.addAll(List.of("DROP TABLE IF EXISTS " + rejects, "DROP TABLE IF EXISTS rejects_scan_" + k));
            for (var drop : drops)
                try {
                    Sql.run(db, drop);
                } catch (SQLException ignored) {
                    // the table was never made: the read failed first
                }
        }
    }

    /** The relation {@code raw} made from a source: its columns, whether it is a table of its own (typed in place) and whether it is too wide for one. */
    private record Read(Map<String, String> columns, boolean table, boolean wide) {}

    private Read read(TableSource source, int k, String raw) throws SQLException {
        return switch (source) {
            case TableSource.Query q -> {
                var columns = TypedCsv.columns(db, "SELECT * FROM " + q.from());
                boolean wide = columns.size() > WIDE, table = q.materialize() && !wide;
                Sql.run(db, "CREATE TEMP " + (table ? "TABLE " : "VIEW ") + raw + " AS SELECT * FROM " + q.from());
                yield new Read(columns, table, wide);
            }
            case TableSource.Delimited d -> {
                var text = d.text(k);
                var columns = TypedCsv.columns(db, "SELECT * FROM " + text);
                if (columns.size() > WIDE) {
                    Sql.run(db, "CREATE TEMP VIEW " + raw + " AS SELECT * FROM " + text);
                    yield new Read(columns, false, true);
                }
                yield new Read(TypedCsv.load(db, d, k, raw), true, false);
            }
        };
    }

    /**
     * The typed table: {@code raw} itself when it is a table, each column whose type or values change altered in place
     * (DuckDB rewrites only that column), else a typed copy of the view.
     */
    private String typed(String raw, boolean table, List<Typing> typings, int k) throws SQLException {
        if (table) {
            for (var t : typings)
                if (t.changes())
                    Sql.run(db, "ALTER TABLE " + raw + " ALTER COLUMN " + Sql.id(t.name()) + " SET DATA TYPE " + t.type() + " USING " + t.select());
            return raw;
        }
        var typed = "typed_" + k;
        Sql.run(db, "CREATE TEMP TABLE " + typed + " AS SELECT " + typings.stream()
                .map(t -> t.select() + " AS " + Sql.id(t.name())).collect(Collectors.joining(", ")) + " FROM " + raw);
        return typed;
    }

    /** The malformed lines DuckDB set aside (too many or too few fields, a broken quote), by line number. */
    private Optional<String> badLines(String rejects, long rows) throws SQLException {
        var lines = Sql.query(db, "SELECT DISTINCT line FROM " + rejects + " ORDER BY line", rs -> {
            var l = new ArrayList<Long>();
            while (rs.next()) l.add(rs.getLong(1));
            return l;
        });
        if (lines.isEmpty()) return Optional.empty();
        var kinds = Sql.query(db, "SELECT string_agg(DISTINCT lower(CAST(error_type AS VARCHAR)), ', ') FROM " + rejects, rs -> rs.next() ? rs.getString(1) : "");
        var shown = lines.stream().limit(BAD_LINES_SHOWN).map(String::valueOf).collect(Collectors.joining(", "));
        return Optional.of(lines.size() + " malformed line" + (lines.size() == 1 ? "" : "s") + " skipped (" + kinds + "): line"
                + (lines.size() == 1 ? " " : "s ") + shown + (lines.size() > BAD_LINES_SHOWN ? ", …" : "") + "; " + rows + " rows read");
    }

    private List<Map<String, String>> sample(String raw, int n) throws SQLException {
        return Sql.query(db, "SELECT * FROM " + raw + " LIMIT " + n, rs -> {
            var rows = new ArrayList<Map<String, String>>();
            var md = rs.getMetaData();
            while (rs.next()) {
                var row = new LinkedHashMap<String, String>();
                for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnName(i), rs.getString(i));
                rows.add(row);
            }
            return rows;
        });
    }
}
