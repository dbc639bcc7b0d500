package dev.labdesk.worker.agent.analysis.experiment;

import java.util.TreeMap;

import dev.labdesk.worker.agent.analysis.profile.GridBlocks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plate layout drawn as the plate itself: a header line of column numbers 1…12 (or 1…24), then one line per row
 * A…H (or A…P) whose cells name what is in each well. A file may hold several such blocks, one per factor (strain,
 * condition, …), each under a title line or with its title in the corner cell: the blocks {@link GridBlocks} finds (the
 * profile's, which lists each as a table), read as one well map. Empty cells are wells with nothing in them.
 */
record PlateGrid(List<String> factors, Map<String, Map<String, String>> wells) {
    PlateGrid {
        factors = List.copyOf(factors);
    }

    /** The file's blocks ({@link GridBlocks}), when it has at least one and some cells are not numbers; empty otherwise. */
    static Optional<PlateGrid> read(Path file, char delimiter) throws IOException {
        return of(GridBlocks.read(file, delimiter));
    }

    static Optional<PlateGrid> of(GridBlocks grids) {
        if (grids.blocks().isEmpty() || grids.numbersOnly()) return Optional.empty();
        var factors = new ArrayList<String>();
        var wells = new TreeMap<String, Map<String, String>>(PlateGrid::byPosition);
        for (var b : grids.blocks()) {
            var name = b.title() == null ? "group" : b.title();
            var unique = name;
            for (int n = 2; factors.contains(unique) || unique.equalsIgnoreCase("well"); n++) unique = name + "_" + n;
            factors.add(unique);
            for (int r = 0; r < b.rows(); r++)
                for (int c = 0; c < b.columns(); c++) {
                    var v = grids.cell(b.header() + 1 + r, b.offset() + 1 + c);
                    if (!v.isEmpty()) wells.computeIfAbsent((char) ('A' + r) + String.valueOf(c + 1), w -> new LinkedHashMap<>()).put(unique, v);
                }
        }
        return Optional.of(new PlateGrid(factors, new LinkedHashMap<>(wells)));
    }

    /** A1, A2, …, A12, B1: plate order, not text order. */
    private static int byPosition(String a, String b) {
        int c = Character.compare(a.charAt(0), b.charAt(0));
        return c != 0 ? c : Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1)));
    }
}
