package dev.labdesk.worker.agent.analysis.profile;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Where a profiled table's rows come from: a DuckDB table function or table, or a delimited text file. */
sealed interface TableSource {

    /** A table function or table, read as it is; {@code materialize} copies it into a temporary table first (a file read once, not per query). */
    record Query(String from, boolean materialize) implements TableSource {}

    /**
     * A delimited text file from line {@code skip} on (0-based; the lines above are its preamble); the {@code read_csv} calls
     * that read it, each with its own rejects tables {@code rejects_k} and {@code rejects_scan_k}; {@code names} renames its first
     * columns (a plate grid's unnamed row letters, {@link RowLetters}), empty to keep its header's.
     */
    record Delimited(Path file, char delimiter, long skip, List<String> names) implements TableSource {
        public Delimited {
            names = List.copyOf(names);
        }

        Delimited(Path file, char delimiter, long skip) {
            this(file, delimiter, skip, List.of());
        }

        /** Types the sniffer may give a column: the forms every reader agrees on; true/false, other dates and everything else stay text for the Typer. */
        private static final String CANDIDATES = "auto_type_candidates = ['BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR'], dateformat = '%Y-%m-%d'";

        private String options() {
            return Sql.literal(file.toString()) + ", delim = " + Sql.literal(String.valueOf(delimiter)) + ", header = true, quote = '\"', escape = '\"'"
                    + (skip > 0 ? ", skip = " + skip : "") + RowLetters.option(names);
        }

        private static String rejects(int k) {
            return ", store_rejects = true, rejects_table = 'rejects_" + k + "', rejects_scan = 'rejects_scan_" + k + "'";
        }

        /** Every column as text. */
        String text(int k) {
            return "read_csv(" + options() + ", all_varchar = true" + rejects(k) + ")";
        }

        /** Numbers and ISO dates typed by DuckDB's sniffer, the columns in {@code asText} as text. */
        String typed(int k, Set<String> asText) {
            var types = asText.isEmpty() ? "" : ", types = {" + asText.stream().map(c -> Sql.literal(c) + ": 'VARCHAR'").collect(Collectors.joining(", ")) + "}";
            return "read_csv(" + options() + ", " + CANDIDATES + types + rejects(k) + ")";
        }

        /** The first rows as written (malformed lines passed over, as the profile's read does). */
        String asWritten() {
            return "read_csv(" + options() + ", all_varchar = true, ignore_errors = true)";
        }
    }
}
