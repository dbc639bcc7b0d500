package dev.labdesk.worker.agent.analysis.profile;

import dev.labdesk.worker.agent.analysis.TableProfile.MetadataLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a delimited file's table starts, below the metadata block some instruments write first (a plate reader's
 * {@code Software Version,3.08}, {@code Experiment File Path:,…}, blank lines). When the first line is narrower than
 * the widest, the header is the first line as wide as the widest with rows under it (up to the next blank line) all as
 * wide as it or padded to its width, and every line above it narrower and led by text (a key, not a value): those lines are the preamble
 * (a header of numbers alone, as a plate's column numbers, must also have a blank line above it, or be a plate grid's header,
 * its corner cell empty, under a title line of one text cell).
 * Widths count fields up to the last non-empty one, since spreadsheets pad every line with delimiters.
 * A file whose first line is as wide as the widest has no preamble, and one where no line fits has none either: it is read as before
 * (so metadata as wide as the table below it, a two-column table under key-value lines, is not told apart).
 *
 * @param skip the lines above the header, for {@code read_csv(…, skip = n)}
 */
public record HeaderBlock(long skip, List<MetadataLine> preamble) {
    public static final HeaderBlock NONE = new HeaderBlock(0, List.of());
    /** How much of the file is looked at: a preamble is tens of lines, the table under it a few more. */
    static final int HEAD_BYTES = 1 << 20, HEAD_RECORDS = 2_000;
    /** Instruments write tens of metadata lines; a table that changes shape further down is a ragged table, not a preamble. */
    static final int MAX_PREAMBLE = 200;
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+([.,]\\d*)?|[.,]\\d+)([eE][+-]?\\d+)?%?");

    public HeaderBlock {
        preamble = List.copyOf(preamble);
    }

    /** The header block of a UTF-8 delimited file (gzip-compressed when its name ends in .gz). */
    public static HeaderBlock find(Path file, char delimiter) throws IOException {
        byte[] head;
        boolean whole;
        try (var in = TextFile.open(file)) {
            head = in.readNBytes(HEAD_BYTES);
            whole = in.read() < 0;
        }
        return find(new String(head, StandardCharsets.UTF_8), delimiter, whole);
    }

    /** @param whole whether {@code text} is the whole file (else its last record may be cut and is not looked at) */
    static HeaderBlock find(String text, char delimiter, boolean whole) {
        var records = Record.parse(text, delimiter, whole);
        if (records.isEmpty()) return NONE;
        int w = records.stream().mapToInt(Record::width).max().orElse(0); // the table's: metadata lines are narrower
        if (w < 2 || records.getFirst().width() == w) return NONE;
        for (int h = 1; h < Math.min(records.size(), MAX_PREAMBLE + 1); h++) {
            var header = records.get(h);
            if (header.width() != w) continue;
            var above = records.subList(0, h);
            // a header of numbers alone (a plate's column numbers) needs a blank line or a grid's title above it: else it is a data row under a short header
            boolean apart = !header.numbersOnly() || above.getLast().width() == 0 || header.gridUnder(above.getLast());
            if (apart && above.stream().allMatch(r -> r.width() < w && (r.width() == 0 || !NUMBER.matcher(r.firstValue()).matches())) && consistentBelow(records, h))
                return new HeaderBlock(header.line(), above.stream().filter(r -> r.width() > 0).map(Record::metadata).toList());
        }
        return NONE;
    }

    /** Whether the lines under the one at {@code h}, up to the next blank one, are its rows: as wide as it, or padded to its width. */
    private static boolean consistentBelow(List<Record> records, int h) {
        var header = records.get(h);
        int rows = 0;
        for (int r = h + 1; r < records.size(); r++) {
            var row = records.get(r);
            if (row.width() == 0) break;
            if (row.width() > header.width() || (row.fields().size() != header.fields().size() && row.width() != header.width())) return false;
            rows++;
        }
        return rows > 0;
    }

    /** One record of the file: its first physical line (0-based), its fields, and its width up to the last non-empty field. */
    private record Record(long line, List<String> fields, int width) {
        boolean numbersOnly() {
            return fields.stream().map(String::strip).filter(f -> !f.isEmpty()).allMatch(f -> NUMBER.matcher(f).matches());
        }

        /** Whether this numbers-only line is a plate grid's header (an empty corner, then the column numbers) under {@code title}, a line of one cell. */
        boolean gridUnder(Record title) {
            return !fields.isEmpty() && fields.getFirst().isBlank() && title.width() == 1;
        }

        String firstValue() {
            return fields.stream().map(String::strip).filter(f -> !f.isEmpty()).findFirst().orElse("");
        }

        MetadataLine metadata() {
            var values = fields.stream().map(String::strip).filter(f -> !f.isEmpty()).toList();
            var key = values.getFirst();
            if (key.endsWith(":")) key = key.substring(0, key.length() - 1).strip();
            return new MetadataLine(line + 1, key, String.join(", ", values.subList(1, values.size())));
        }

        /** The records of the text, quoted fields (with doubled quotes and line breaks inside) as CSV has them. */
        static List<Record> parse(String text, char delimiter, boolean whole) {
            var out = new ArrayList<Record>();
            var fields = new ArrayList<String>();
            var field = new StringBuilder();
            boolean quoted = false;
            long line = 0, start = 0;
            for (int i = 0; i < text.length() && out.size() < HEAD_RECORDS; i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') quoted = false;
                    else {
                        if (c == '\n') line++;
                        field.append(c);
                    }
                } else if (c == '"') quoted = true;
                else if (c == delimiter) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n') {
                    fields.add(field.toString());
                    out.add(record(start, fields));
                    fields = new ArrayList<>();
                    field.setLength(0);
                    start = ++line;
                } else if (c != '\r') field.append(c);
            }
            if (whole && !quoted && (!fields.isEmpty() || !field.isEmpty()) && out.size() < HEAD_RECORDS) {
                fields.add(field.toString());
                out.add(record(start, fields));
            }
            return out;
        }

        private static Record record(long line, List<String> fields) {
            int width = fields.size();
            while (width > 0 && fields.get(width - 1).isBlank()) width--;
            return new Record(line, List.copyOf(fields), width);
        }
    }
}
