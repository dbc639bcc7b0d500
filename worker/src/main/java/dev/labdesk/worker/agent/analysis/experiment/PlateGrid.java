package dev.labdesk.worker.agent.analysis.experiment;

import java.util.TreeMap;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A plate layout drawn as the plate itself: a header line of column numbers 1…12 (or 1…24), then one line per row
 * A…H (or A…P) whose cells name what is in each well. A file may hold several such blocks, one per factor (strain,
 * condition, …), each under a title line or with its title in the corner cell. Read from the file's own lines, since a
 * table reader sees only the first block's header. Empty cells are wells with nothing in them.
 */
record PlateGrid(List<String> factors, Map<String, Map<String, String>> wells) {
    private static final int MAX_LINES = 2_000;
    private static final Pattern ROW = Pattern.compile("(?i)[A-P]");
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    /** Corner cells that are not a factor's title. */
    private static final Pattern CORNER = Pattern.compile("(?i)|<>|well|wells|row|rows|plate|layout|\\\\|/|#");

    PlateGrid {
        factors = List.copyOf(factors);
    }

    /** A block's lines read into well → value; {@code title} may be null. */
    private record Block(String title, Map<String, String> values) {}

    /** The file's blocks, when it has at least one (of at least two rows and three columns, some cells not numbers); empty otherwise. */
    static Optional<PlateGrid> read(Path file, char delimiter) throws IOException {
        var lines = new ArrayList<List<String>>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; lines.size() < MAX_LINES && (line = in.readLine()) != null; ) lines.add(cells(line, delimiter));
        }
        var blocks = new ArrayList<Block>();
        for (int i = 0; i < lines.size(); i++) {
            var header = lines.get(i);
            int offset = numbersFrom(header);
            if (offset < 0) continue;
            int columns = 0;
            while (offset + 1 + columns < header.size() && header.get(offset + 1 + columns).equals(String.valueOf(columns + 1))) columns++;
            var values = new LinkedHashMap<String, String>();
            int r = i + 1;
            char expected = 'A';
            for (; r < lines.size(); r++) {
                var row = lines.get(r);
                var letter = offset < row.size() ? row.get(offset) : "";
                if (!ROW.matcher(letter).matches() || Character.toUpperCase(letter.charAt(0)) != expected) break;
                for (int c = 0; c < columns; c++) {
                    var v = offset + 1 + c < row.size() ? row.get(offset + 1 + c) : "";
                    if (!v.isEmpty()) values.put(expected + String.valueOf(c + 1), v);
                }
                expected++;
            }
            if (r - i - 1 >= 2 && columns >= 3) blocks.add(new Block(title(lines, i, offset), values));
            i = r - 1;
        }
        if (blocks.isEmpty() || blocks.stream().allMatch(b -> b.values().values().stream().allMatch(v -> NUMBER.matcher(v).matches()))) return Optional.empty();
        var factors = new ArrayList<String>();
        var wells = new TreeMap<String, Map<String, String>>(PlateGrid::byPosition);
        for (var b : blocks) {
            var name = b.title() == null ? "group" : b.title();
            var unique = name;
            for (int n = 2; factors.contains(unique) || unique.equalsIgnoreCase("well"); n++) unique = name + "_" + n;
            factors.add(unique);
            for (var e : b.values().entrySet()) wells.computeIfAbsent(e.getKey(), w -> new LinkedHashMap<>()).put(unique, e.getValue());
        }
        return Optional.of(new PlateGrid(factors, new LinkedHashMap<>(wells)));
    }

    /** Where a header of column numbers starts (the cell before "1"), or −1: "1", "2", "3" at least, in order. */
    private static int numbersFrom(List<String> line) {
        for (int o = 0; o + 3 < line.size(); o++)
            if (line.get(o + 1).equals("1") && line.get(o + 2).equals("2") && line.get(o + 3).equals("3")) return o;
        return -1;
    }

    /** The block's title: its corner cell when that names something, else a line of one cell just above (blank lines skipped). */
    private static String title(List<List<String>> lines, int header, int offset) {
        var corner = lines.get(header).get(offset);
        if (!CORNER.matcher(corner).matches()) return corner;
        for (int i = header - 1; i >= 0 && i >= header - 3; i--) {
            var filled = lines.get(i).stream().filter(c -> !c.isEmpty()).toList();
            if (filled.isEmpty()) continue;
            if (filled.size() == 1 && !NUMBER.matcher(filled.getFirst()).matches()) return filled.getFirst().replaceAll("[:]+$", "").strip();
            break;
        }
        return null;
    }

    /** A1, A2, …, A12, B1: plate order, not text order. */
    private static int byPosition(String a, String b) {
        int c = Character.compare(a.charAt(0), b.charAt(0));
        return c != 0 ? c : Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1)));
    }

    /** A delimited line's cells, trimmed, with double quotes honoured. */
    static List<String> cells(String line, char delimiter) {
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
