package dev.labdesk.worker.agent.analysis.profile;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table read whole from a file whose header line is a plate grid's, its corner cell empty: DuckDB would name the row
 * letters' column {@code column00}; like every grid table's, it is named {@code row} (unless a header cell is already {@code row}).
 * The profile and the hypothesis test read it under the same names.
 */
public final class RowLetters {
    public static final String NAME = "row";

    private RowLetters() {}

    /** The grid whose header is the table's header line ({@code skip}, 0-based) and whose row letters have no name of their own. */
    public static Optional<GridBlocks.Block> unnamed(GridBlocks grids, long skip) {
        return grids.at((int) skip).filter(b -> grids.cell(b.header(), b.offset()).isEmpty()
                && grids.lines().get(b.header()).stream().noneMatch(NAME::equalsIgnoreCase));
    }

    /**
     * The names to read the table's first columns under, through the row letters' (DuckDB's own names, then {@code row}),
     * for {@code read_csv(…, names = […])}; empty when its header is no such grid's.
     */
    public static List<String> names(Connection db, GridBlocks grids, Path file, char delimiter, long skip) throws SQLException {
        var grid = unnamed(grids, skip);
        if (grid.isEmpty()) return List.of();
        var header = TypedCsv.columns(db, "SELECT * FROM read_csv(" + Sql.literal(file.toString()) + ", delim = " + Sql.literal(String.valueOf(delimiter))
                + ", header = true, skip = " + skip + ", quote = '\"', escape = '\"', all_varchar = true, null_padding = true, ignore_errors = true)");
        var names = new ArrayList<>(header.keySet());
        int offset = grid.get().offset();
        if (names.size() <= offset) return List.of();
        names.set(offset, NAME);
        return List.copyOf(names.subList(0, offset + 1));
    }

    /** SQL: {@code , names = […]} for a read_csv call, or nothing. */
    public static String option(List<String> names) {
        return names.isEmpty() ? "" : ", names = [" + String.join(", ", names.stream().map(Sql::literal).toList()) + "]";
    }
}
