package dev.labdesk.worker.agent.analysis.profile;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The plate grids of a delimited file, as plate readers and lab layouts draw them: a header line of column numbers 1, 2, 3, …
 * (its corner cell empty, a title or a marker such as {@code <>}), then one line per row A, B, C, … in order; several such
 * blocks may be stacked in one file, each under a title line of one cell (blank lines between). The one reader of blocks:
 * the profile lists each block of a file of several as its own table, the hypothesis test reads them as a well map.
 *
 * @param lines    every line of the file, as cells (line {@code i} is the file's line {@code i + 1})
 * @param blocks   the grids found, in file order
 * @param preamble lines above the first block (not its title), not blank: a header block such as a reader's metadata
 * @param unread   lines below the first block that are in no block and not a block's title, not blank: what a reader of the blocks leaves out
 */
public record GridBlocks(List<List<String>> lines, List<Block> blocks, List<Integer> preamble, List<Integer> unread) {
    /** A file longer than this is a table, not a drawing of plates (a 384-well plate is 17 lines a block). */
    static final int MAX_LINES = 2_000, MAX_BYTES = 1 << 20;
    private static final Pattern ROW = Pattern.compile("(?i)[A-P]");
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    /** Corner cells that mark the grid, not name it. */
    private static final Pattern CORNER = Pattern.compile("(?i)|<>|well|wells|row|rows|plate|layout|\\\\|/|#");

    public GridBlocks {
        lines = List.copyOf(lines);
        blocks = List.copyOf(blocks);
        preamble = List.copyOf(preamble);
        unread = List.copyOf(unread);
    }

    /**
     * One grid: its title (from its corner cell, else a one-cell line just above it; null when it has neither), the line of
     * its title and of its column numbers (0-based; {@code titleLine} −1 without a title line), the cell where the grid starts
     * ({@code offset}: the row letters' column), how many numbered columns and lettered rows it has, and the lines of its rows
     * that hold cells outside the grid (not read as part of it).
     */
    public record Block(String title, int titleLine, int header, int offset, int columns, int rows, List<Integer> overflow) {
        public Block {
            overflow = List.copyOf(overflow);
        }

        /** The last line of the grid, 0-based. */
        public int last() {
            return header + rows;
        }

        /** "rows A–H × columns 1–12". */
        public String size() {
            return "rows A–" + (char) ('A' + rows - 1) + " × columns 1–" + columns;
        }
    }

    /** The file's blocks, read from its first lines (UTF-8, gzip when named .gz); none when the file is too long to be plate drawings. */
    public static GridBlocks read(Path file, char delimiter) throws IOException {
        var text = new StringBuilder();
        try (Reader in = new InputStreamReader(TextFile.open(file), StandardCharsets.UTF_8)) {
            var buffer = new char[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.append(buffer, 0, n);
                if (text.length() > MAX_BYTES) return new GridBlocks(List.of(), List.of(), List.of(), List.of());
            }
        }
        var lines = text.toString().lines().map(l -> cells(l, delimiter)).toList();
        if (lines.size() > MAX_LINES) return new GridBlocks(List.of(), List.of(), List.of(), List.of());
        return of(lines);
    }

    /** The blocks of lines already split into cells. */
    public static GridBlocks of(List<List<String>> lines) {
        var blocks = new ArrayList<Block>();
        int free = 0; // the first line after the previous block: a title is never one of its rows
        for (int i = 0; i < lines.size(); i++) {
            var header = lines.get(i);
            int offset = numbersFrom(header);
            if (offset < 0) continue;
            int columns = 0;
            while (offset + 1 + columns < header.size() && header.get(offset + 1 + columns).equals(String.valueOf(columns + 1))) columns++;
            int r = i + 1;
            char expected = 'A';
            for (; r < lines.size(); r++) {
                var row = lines.get(r);
                var letter = offset < row.size() ? row.get(offset) : "";
                if (!ROW.matcher(letter).matches() || Character.toUpperCase(letter.charAt(0)) != expected) break;
                expected++;
            }
            int rows = r - i - 1;
            if (rows >= 2 && columns >= 3) {
                var overflow = new ArrayList<Integer>();
                for (int l = i; l < r; l++) if (!outside(lines.get(l), offset, columns).isEmpty()) overflow.add(l);
                var corner = header.get(offset);
                int titleLine = CORNER.matcher(corner).matches() ? titleLine(lines, i, free) : -1;
                var title = !CORNER.matcher(corner).matches() ? corner : titleLine < 0 ? null : title(lines.get(titleLine));
                blocks.add(new Block(title, titleLine, i, offset, columns, rows, overflow));
                free = r;
            }
            i = r - 1;
        }
        var preamble = new ArrayList<Integer>();
        var unread = new ArrayList<Integer>();
        int first = blocks.isEmpty() ? lines.size() : blocks.getFirst().titleLine() >= 0 ? blocks.getFirst().titleLine() : blocks.getFirst().header();
        for (int l = 0; l < lines.size(); l++) {
            if (lines.get(l).stream().allMatch(String::isEmpty)) continue;
            final int line = l;
            if (blocks.stream().anyMatch(b -> b.titleLine() == line || (line >= b.header() && line <= b.last()))) continue;
            (l < first ? preamble : unread).add(l);
        }
        return new GridBlocks(lines, blocks, preamble, unread);
    }

    /** Whether every block holds only numbers (readings), not names (a layout). */
    public boolean numbersOnly() {
        return blocks.stream().allMatch(b -> {
            for (int l = b.header() + 1; l <= b.last(); l++)
                for (int c = 0; c < b.columns(); c++) {
                    var v = cell(l, b.offset() + 1 + c);
                    if (!v.isEmpty() && !NUMBER.matcher(v).matches()) return false;
                }
            return true;
        });
    }

    /** Whether at least half of a block's filled wells are numbers: readings with a stray flag (an instrument's OVRFLW), not a layout's names. */
    public boolean mostlyNumbers(Block b) {
        int filled = 0, numbers = 0;
        for (int l = b.header() + 1; l <= b.last(); l++)
            for (int c = 0; c < b.columns(); c++) {
                var v = cell(l, b.offset() + 1 + c);
                if (v.isEmpty()) continue;
                filled++;
                if (NUMBER.matcher(v).matches()) numbers++;
            }
        return 2 * numbers >= filled;
    }

    /** A cell of the file, "" when the line is shorter. */
    public String cell(int line, int column) {
        var l = lines.get(line);
        return column < l.size() ? l.get(column) : "";
    }

    /** The non-empty cells of a line, for a metadata line's key and value. */
    public List<String> filled(int line) {
        return lines.get(line).stream().filter(c -> !c.isEmpty()).toList();
    }

    /**
     * The block as a CSV file of its own in {@code dir}: a header of {@code row} and the column numbers, then its lines cut to
     * the grid (the rows' letters, then one cell per numbered column; empty wells empty).
     */
    public Path write(Block b, Path dir) throws IOException {
        var out = new StringBuilder("row");
        for (int c = 1; c <= b.columns(); c++) out.append(',').append(c);
        out.append('\n');
        for (int l = b.header() + 1; l <= b.last(); l++) {
            final int line = l;
            out.append(quoted(cell(l, b.offset()))).append(',')
                    .append(IntStream.range(0, b.columns()).mapToObj(c -> quoted(cell(line, b.offset() + 1 + c))).collect(Collectors.joining(",")))
                    .append('\n');
        }
        var file = Files.createTempFile(dir, "grid-", ".csv");
        Files.writeString(file, out, StandardCharsets.UTF_8);
        return file;
    }

    /** The block whose column numbers are on {@code header} (0-based), if there is one. */
    public Optional<Block> at(int header) {
        return blocks.stream().filter(b -> b.header() == header).findFirst();
    }

    private static String quoted(String cell) {
        return cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }

    /** The filled cells of one of a block's lines left of its row letters or right of its last numbered column: not part of the grid. */
    public List<String> outside(Block b, int line) {
        return outside(lines.get(line), b.offset(), b.columns());
    }

    private static List<String> outside(List<String> line, int offset, int columns) {
        var out = new ArrayList<String>();
        for (int c = 0; c < line.size(); c++) if ((c < offset || c > offset + columns) && !line.get(c).isEmpty()) out.add(line.get(c));
        return out;
    }

    /** Where a header of column numbers starts (the cell before "1"), or −1: "1", "2", "3" at least, in order. */
    private static int numbersFrom(List<String> line) {
        for (int o = 0; o + 3 < line.size(); o++)
            if (line.get(o + 1).equals("1") && line.get(o + 2).equals("2") && line.get(o + 3).equals("3")) return o;
        return -1;
    }

    /** The line of a block's title: one text cell just above its header (blank lines skipped), not before {@code free}; −1 if none. */
    private static int titleLine(List<List<String>> lines, int header, int free) {
        for (int i = header - 1; i >= free && i >= header - 3; i--) {
            var filled = lines.get(i).stream().filter(c -> !c.isEmpty()).toList();
            if (filled.isEmpty()) continue;
            return filled.size() == 1 && !NUMBER.matcher(filled.getFirst()).matches() ? i : -1;
        }
        return -1;
    }

    private static String title(List<String> line) {
        return line.stream().filter(c -> !c.isEmpty()).findFirst().orElseThrow().replaceAll("[:]+$", "").strip();
    }

    /** A delimited line's cells, trimmed, with double quotes honoured (a byte-order mark dropped). */
    public static List<String> cells(String line, char delimiter) {
        var out = new ArrayList<String>();
        var cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                out.add(cell.toString().strip());
                cell.setLength(0);
            } else cell.append(c);
        }
        out.add(cell.toString().strip());
        if (!out.isEmpty()) out.set(0, out.getFirst().replace("\uFEFF", "").strip());
        return out;
    }
}
