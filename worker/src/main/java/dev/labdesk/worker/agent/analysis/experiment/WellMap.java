package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.profile.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A sample map: a table saying what is in each well (strain, medium, …), its well column (nearly) unique and its other
 * columns factors. A table with a measurement in it is readings, not a map, however few its rows.
 */
record WellMap(Frame frame, FrameColumn well) {
    /** More rows than the wells of a 1536-well plate is not one plate's map. */
    static final int MAX_ROWS = 1536;

    /** The first of the frames that is a sample map. */
    static Optional<WellMap> find(Connection db, List<Frame> frames) throws SQLException {
        for (var f : frames) {
            if (f.columns().size() < 2 || f.rows() > MAX_ROWS) continue;
            var well = PlateLayout.wellColumn(db, f);
            if (well.isEmpty() || well.get().distinct() * 10 < well.get().values() * 9) continue;
            if (f.columns().stream().filter(c -> c != well.get()).allMatch(WellMap::factor)) return Optional.of(new WellMap(f, well.get()));
        }
        return Optional.empty();
    }

    /** Text, or numbers of a few repeated values (a dose, a dilution): what a well holds, not what was read from it. */
    private static boolean factor(FrameColumn c) {
        return !c.numeric() || (c.levels().size() <= ColumnMatcher.MAX_GROUPS && c.distinct() * 2 <= c.values());
    }

    /**
     * The readings in {@code table} (wells named in its column {@code wells}) with this map's columns added, joined on the wells
     * normalised on both sides; readings of wells not in the map are left out, and the frame's note says so after {@code note}.
     */
    Frame join(Connection db, FrameLoader loader, String name, String preamble, String table, String wells, String note) throws SQLException {
        var added = added(columns(db, table)).stream().map(c -> ", l." + Sql.id(c.name())).collect(Collectors.joining());
        var joined = loader.nextTable();
        Sql.run(db, "CREATE TEMP TABLE " + joined + " AS SELECT p.*" + added + " FROM " + table + " p JOIN " + frame.sql() + " l ON "
                + normal("p." + Sql.id(wells)) + " = " + normal("l." + Sql.id(well.name())));
        long all = distinctWells(db, table, wells), mapped = distinctWells(db, joined, wells);
        return loader.describe(name + " + " + frame.name(), joined, preamble).withNote(note + "; joined with " + frame.name() + " on its column `" + well.name()
                + "`: " + mapped + " of " + all + " wells mapped" + (mapped < all ? " (the others are not in the map and are left out)" : ""));
    }

    /** Whether the map has a column the readings lack: else joining would only drop the readings of unmapped wells. */
    boolean adds(Frame readings) {
        return !added(readings.columns().stream().map(FrameColumn::name).toList()).isEmpty();
    }

    /** The map's columns, other than its well column, that readings with these columns lack (DuckDB's names are case-insensitive: the readings' own win). */
    private List<FrameColumn> added(List<String> readings) {
        var have = new HashSet<String>();
        for (var c : readings) have.add(c.toLowerCase(Locale.ROOT));
        return frame.columns().stream().filter(c -> c != well && !have.contains(c.name().toLowerCase(Locale.ROOT))).toList();
    }

    private static long distinctWells(Connection db, String table, String wells) throws SQLException {
        return Sql.query(db, "SELECT count(DISTINCT " + normal(Sql.id(wells)) + ") FROM " + table, rs -> rs.next() ? rs.getLong(1) : 0L);
    }

    private static List<String> columns(Connection db, String table) throws SQLException {
        return Sql.query(db, "DESCRIBE " + table, rs -> {
            var l = new ArrayList<String>();
            while (rs.next()) l.add(rs.getString("column_name"));
            return l;
        });
    }

    /** SQL: a well name as "A1" (trimmed, upper case, no leading zero). */
    static String normal(String expr) {
        return "upper(regexp_replace(trim(" + expr + "), '^([A-Pa-p])0*', '\\1'))";
    }
}
