package dev.labdesk.worker.agent.analysis.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** How the profile names and describes the tables of a file of plate grids (stacked, or one titled layout grid): which lines each is, and which lines no table has. */
final class StackedGrids {
    /** Lines outside every grid whose text a note quotes. */
    private static final int SHOWN = 3;
    private StackedGrids() {}

    /**
     * Whether the file's grids are each profiled as a table of its own: two or more, or one layout grid (its wells mostly names)
     * with a title that says what they hold; one grid of readings stays the file's table, a title above it its preamble.
     */
    static boolean ownTables(GridBlocks grids) {
        var blocks = grids.blocks();
        return blocks.size() >= 2 || blocks.size() == 1 && blocks.getFirst().title() != null && !grids.mostlyNumbers(blocks.getFirst());
    }

    /** Each grid's table name: its title, "grid k" without one, a repeated title numbered ("Strain (2)"). */
    static List<String> names(List<GridBlocks.Block> blocks) {
        var names = new ArrayList<String>();
        for (int k = 0; k < blocks.size(); k++) {
            var base = blocks.get(k).title() == null ? "grid " + (k + 1) : blocks.get(k).title();
            var name = base;
            for (int n = 2; names.contains(name); n++) name = base + " (" + n + ")";
            names.add(name);
        }
        return names;
    }

    /** The notes of grid {@code k}'s table: where it is, which grids the file holds, what of its lines was not read. */
    static List<String> notes(GridBlocks grids, int k, List<String> names, String container) {
        var b = grids.blocks().get(k);
        var all = grids.blocks();
        var notes = new ArrayList<String>();
        boolean sizes = all.stream().map(GridBlocks.Block::size).distinct().count() > 1;
        notes.add((all.size() == 1 ? "the " + container + "'s one plate grid, profiled as its own table: lines "
                : "plate grid " + (k + 1) + " of " + all.size() + " stacked in the " + container + " ("
                + names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", ")) + (sizes ? ", not all of one size" : "")
                + "), each profiled as its own table: this one is lines ") + (b.header() + 1) + "–" + (b.last() + 1) + " (" + b.size() + ")"
                + (b.title() == null ? ", with no title (none in its corner cell nor on a line of its own above it)"
                : b.titleLine() >= 0 ? ", its title on line " + (b.titleLine() + 1) : ", its title in its corner cell")
                + "; its row letters are the column `row`");
        if (!b.overflow().isEmpty())
            notes.add("cells outside the grid (left of its row letters or right of column " + b.columns() + ") are not read: " + b.overflow().stream().limit(SHOWN)
                    .map(l -> "line " + (l + 1) + " `" + String.join(", ", grids.outside(b, l)) + "`").collect(Collectors.joining("; "))
                    + (b.overflow().size() > SHOWN ? "; …" : ""));
        if (!grids.unread().isEmpty())
            notes.add(lines(grids.unread()) + " of the " + container + " " + (grids.unread().size() == 1 ? "is" : "are") + " in no grid and not read: "
                    + grids.unread().stream().limit(SHOWN).map(l -> "`" + String.join(", ", grids.filled(l)) + "`").collect(Collectors.joining("; "))
                    + (grids.unread().size() > SHOWN ? "; …" : ""));
        if (!grids.preamble().isEmpty())
            notes.add("the " + (grids.preamble().size() == 1 ? "line" : grids.preamble().size() + " lines") + " above the first grid "
                    + (grids.preamble().size() == 1 ? "is" : "are") + " the " + container + "'s metadata, listed as the preamble of "
                    + (all.size() == 1 ? "its table" : "each grid's table"));
        return notes;
    }

    /** "line 12", "lines 12, 14": 1-based. */
    private static String lines(List<Integer> zeroBased) {
        return (zeroBased.size() == 1 ? "line " : "lines ") + zeroBased.stream().limit(10).map(l -> String.valueOf(l + 1)).collect(Collectors.joining(", "))
                + (zeroBased.size() > 10 ? ", …" : "");
    }
}
