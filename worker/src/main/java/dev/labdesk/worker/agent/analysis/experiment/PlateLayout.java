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
 * DuckDB's UNPIVOT into one row per time and well, and joined with a sample map (a table with a well column:
 * which strain or treatment is in which well) when the volume has one.
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

    /** The frames with each wide plate melted (and mapped to its samples when a map is found); other frames unchanged. */
    List<Frame> melt(List<Frame> read) throws SQLException {
        var frames = grids(read);
        var out = new ArrayList<Frame>();
        var map = frames.stream().filter(f -> wellColumn(f).isPresent() && f.columns().size() >= 2 && f.rows() <= 1536).findFirst();
        for (var f : frames) {
            var wells = f.columns().stream().filter(c -> WELL.matcher(c.name().strip()).matches() && c.numeric()).toList();
            var time = f.columns().stream().filter(c -> Vocabulary.TIME_COLUMN.matcher(Words.compact(c.name())).matches()
                    && (c.numeric() || c.duration() || c.timestamp())).findFirst();
            if (wells.size() < MIN_WELLS || time.isEmpty()) {
                out.add(f);
                continue;
            }
            out.add(melted(f, time.get(), wells, map.filter(m -> m != f)));
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

    private Frame melted(Frame plate, FrameColumn time, List<FrameColumn> wells, Optional<Frame> map) throws SQLException {
        var reading = readingName(plate);
        var long_ = loader.nextTable();
        var on = wells.stream().map(c -> Sql.id(c.name())).collect(Collectors.joining(", "));
        Sql.run(db, "CREATE TEMP TABLE " + long_ + " AS SELECT " + Sql.id(time.name()) + ", " + normalWell("well") + " AS well, reading AS "
                + Sql.id(reading) + " FROM (UNPIVOT (SELECT " + Sql.id(time.name()) + ", " + on + " FROM " + plate.sql() + ") ON " + on
                + " INTO NAME well VALUE reading)");
        var note = "wide plate layout: " + wells.size() + " well columns melted into one row per " + time.name() + " and well (DuckDB UNPIVOT)";
        if (map.isEmpty())
            return loader.describe(plate.name(), long_, plate.preamble()).withNote(note + "; no sample map (a table with a well column) was found");
        var m = map.get();
        var wellCol = wellColumn(m).orElseThrow();
        var others = m.columns().stream().filter(c -> c != wellCol && !c.name().equals(time.name()) && !c.name().equals(reading) && !c.name().equals("well"))
                .map(c -> "l." + Sql.id(c.name())).collect(Collectors.joining(", "));
        var joined = loader.nextTable();
        Sql.run(db, "CREATE TEMP TABLE " + joined + " AS SELECT p.*" + (others.isEmpty() ? "" : ", " + others) + " FROM " + long_ + " p JOIN "
                + m.sql() + " l ON p.well = " + normalWell("trim(l." + Sql.id(wellCol.name()) + ")"));
        long mapped = Sql.query(db, "SELECT count(DISTINCT well) FROM " + joined, rs -> rs.next() ? rs.getLong(1) : 0L);
        var frame = loader.describe(plate.name() + " + " + m.name(), joined, plate.preamble());
        return frame.withNote(note + "; joined with " + m.name() + " on its column `" + wellCol.name() + "`: " + mapped + " of " + wells.size()
                + " wells mapped" + (mapped < wells.size() ? " (the others are not in the map and are left out)" : ""));
    }

    /** The column of a sample map that names wells (by its name, and most of its values look like A1…P24). */
    static Optional<FrameColumn> wellColumn(Frame f) {
        return f.columns().stream().filter(c -> WELL_COLUMN.matcher(Words.compact(c.name())).matches())
                .filter(c -> c.values() > 0 && c.distinct() * 2 >= c.values() && !c.numeric())
                .findFirst();
    }

    /** What the wells hold, named from the file, sheet and header block: od (absorbance), fluorescence, or just "reading". */
    static String readingName(Frame plate) {
        var text = (plate.name() + " " + plate.preamble() + " " + plate.columns().stream().map(FrameColumn::name).filter(n -> !WELL.matcher(n.strip()).matches())
                .collect(Collectors.joining(" "))).toLowerCase(Locale.ROOT);
        if (Pattern.compile("(?<![a-z])(od|od\\d{3}|absorbance|abs)(?![a-z])|600|optical density").matcher(text).find()) return "od";
        if (Pattern.compile("fluoresc|gfp|rfp|yfp|mcherry|rfu|lumines").matcher(text).find()) return "fluorescence";
        return "reading";
    }

    /** SQL: a well name as "A1" (upper case, no leading zero). */
    private static String normalWell(String expr) {
        return "upper(regexp_replace(" + expr + ", '^([A-Pa-p])0*', '\\1'))";
    }
}
