package dev.labdesk.worker.agent.analysis.experiment;

import java.io.IOException;

import dev.labdesk.worker.agent.analysis.profile.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Plate-reader exports in their usual wide layout (a time column, then one column per well A1…H12) melted with
 * DuckDB's UNPIVOT into one row per time and well, and joined with a sample map ({@link WellMap}: which strain or
 * treatment is in which well) when the volume has one; readings already long (a well column, a row per well and read)
 * are joined with it the same way.
 */
final class PlateLayout {
    static final Pattern WELL = Pattern.compile("(?i)[A-P]0?([1-9]|1[0-9]|2[0-4])");
    /** Fewer well columns than a row of a 96-well plate is not a plate. */
    static final int MIN_WELLS = 8;
    private static final Pattern WELL_COLUMN = Pattern.compile("wells?|wellid|wellname|wellposition|position|plateposition|platewell");

    private final Connection db;
    private final FrameLoader loader;

    PlateLayout(Connection db, FrameLoader loader) {
        this.db = db;
        this.loader = loader;
    }

    /**
     * The frames with each wide plate melted, and each plate (melted) or long readings table (a well column repeated per read,
     * and a measure) joined with the volume's sample map when it has one; other frames unchanged.
     */
    List<Frame> melt(List<Frame> read) throws SQLException {
        var frames = grids(read);
        var out = new ArrayList<Frame>();
        var map = WellMap.find(db, frames);
        for (var f : frames) {
            var other = map.filter(m -> m.frame() != f);
            var wells = f.columns().stream().filter(c -> WELL.matcher(c.name().strip()).matches() && c.numeric()).toList();
            var time = f.columns().stream().filter(c -> Vocabulary.TIME_COLUMN.matcher(Words.compact(c.name())).matches()
                    && (c.numeric() || c.duration() || c.timestamp())).findFirst();
            if (wells.size() >= MIN_WELLS && time.isPresent()) out.add(melted(f, time.get(), wells, other));
            else out.add(other.isPresent() ? joinedIfLong(f, other.get()) : f);
        }
        return out;
    }

    /**
     * The frames with each plate-grid layout read again from its lines as a long well map (well, then one column per block):
     * the frames of one file's stacked grids become that file's one map.
     */
    private List<Frame> grids(List<Frame> frames) throws SQLException {
        var out = new ArrayList<Frame>();
        var read = new HashMap<String, Optional<PlateGrid>>(); // by the file's (or sheet's) name: its grids are one layout
        for (var f : frames) {
            var source = loader.source(f.name());
            if (source.isEmpty()) {
                out.add(f);
                continue;
            }
            boolean first = !read.containsKey(source.get().table());
            if (first) {
                Optional<PlateGrid> grid = Optional.empty();
                try {
                    grid = PlateGrid.read(source.get().file(), source.get().delimiter());
                } catch (IOException e) {
                    // unreadable as lines: it stays the table DuckDB read
                }
                read.put(source.get().table(), grid);
            }
            var grid = read.get(source.get().table());
            if (grid.isEmpty()) out.add(f);
            else if (first) out.add(wellMap(source.get().table(), grid.get()));
        }
        return out;
    }

    private Frame wellMap(String name, PlateGrid grid) throws SQLException {
        var table = loader.nextTable();
        Sql.run(db, "CREATE TEMP TABLE " + table + " (well VARCHAR" + grid.factors().stream().map(c -> ", " + Sql.id(c) + " VARCHAR").collect(Collectors.joining()) + ")");
        if (!grid.wells().isEmpty())
            Sql.run(db, "INSERT INTO " + table + " VALUES " + grid.wells().entrySet().stream().map(e -> "(" + Sql.literal(e.getKey())
                    + grid.factors().stream().map(c -> ", " + (e.getValue().containsKey(c) ? Sql.literal(e.getValue().get(c)) : "NULL")).collect(Collectors.joining()) + ")")
                    .collect(Collectors.joining(", ")));
        return loader.describe(name, table, "").withNote("plate-grid layout: " + grid.factors().size() + (grid.factors().size() == 1 ? " block (" : " blocks (")
                + grid.factors().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", ")) + ") read as a well map of " + grid.wells().size()
                + " wells; wells left empty in every block are not in it");
    }

    private Frame melted(Frame plate, FrameColumn time, List<FrameColumn> wells, Optional<WellMap> map) throws SQLException {
        var reading = readingName(plate);
        var long_ = loader.nextTable();
        var on = wells.stream().map(c -> Sql.id(c.name())).collect(Collectors.joining(", "));
        Sql.run(db, "CREATE TEMP TABLE " + long_ + " AS SELECT " + Sql.id(time.name()) + ", " + WellMap.normal("well") + " AS well, reading AS "
                + Sql.id(reading) + " FROM (UNPIVOT (SELECT " + Sql.id(time.name()) + ", " + on + " FROM " + plate.sql() + ") ON " + on
                + " INTO NAME well VALUE reading)");
        var note = "wide plate layout: " + wells.size() + " well columns melted into one row per " + time.name() + " and well (DuckDB UNPIVOT)";
        if (map.isEmpty())
            return loader.describe(plate.name(), long_, plate.preamble()).withNote(note + "; no sample map (a table with a well column) was found");
        return map.get().join(db, loader, plate.name(), plate.preamble(), long_, "well", note);
    }

    /**
     * A long readings table (each well named on several rows, one per read, beside at least one numeric column that is not
     * time) joined with the sample map on its well column, as a melted plate is; any other table as it is.
     */
    private Frame joinedIfLong(Frame f, WellMap map) throws SQLException {
        if (!map.adds(f)) return f;
        var well = wellColumn(db, f).filter(c -> c.distinct() < c.values());
        if (well.isEmpty() || f.columns().stream().noneMatch(c -> c != well.get() && c.numeric() && !ColumnMatcher.timeLike(c))) return f;
        return map.join(db, loader, f.name(), f.preamble(), f.sql(), well.get().name(), "long readings: `" + well.get().name() + "` names the well of each of "
                + f.rows() + " rows (" + well.get().distinct() + " wells)");
    }

    /** A column naming wells: by its name, not numbers, and nine in ten of its values look like A1…P24. */
    static Optional<FrameColumn> wellColumn(Connection db, Frame f) throws SQLException {
        for (var c : f.columns()) {
            if (!WELL_COLUMN.matcher(Words.compact(c.name())).matches() || c.values() == 0 || c.numeric()) continue;
            var v = FrameLoader.value(c.name());
            long wells = Sql.query(db, "SELECT count(*) FILTER (WHERE regexp_full_match(" + v + ", " + Sql.literal(WELL.pattern()) + ")) FROM " + f.sql(),
                    rs -> rs.next() ? rs.getLong(1) : 0L);
            if (wells * 10 >= c.values() * 9) return Optional.of(c);
        }
        return Optional.empty();
    }

    /** What the wells hold, named from the file, sheet and header block: od (absorbance), fluorescence, or just "reading". */
    static String readingName(Frame plate) {
        var text = (plate.name() + " " + plate.preamble() + " " + plate.columns().stream().map(FrameColumn::name).filter(n -> !WELL.matcher(n.strip()).matches())
                .collect(Collectors.joining(" "))).toLowerCase(Locale.ROOT);
        if (Pattern.compile("(?<![a-z])(od|od\\d{3}|absorbance|abs)(?![a-z])|600|optical density").matcher(text).find()) return "od";
        if (Pattern.compile("fluoresc|gfp|rfp|yfp|mcherry|rfu|lumines").matcher(text).find()) return "fluorescence";
        return "reading";
    }
}
