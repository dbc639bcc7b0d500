package dev.labdesk.worker.agent.analysis.profile;

import java.util.ArrayList;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a delimited file once into a temporary table, numbers and ISO dates already typed by DuckDB's sniffer
 * (no text copy of them is kept, and the {@link Typer} reads only the text columns). The sniffer sees a sample:
 * a column with a value further down that its type cannot hold (a rejected cast), or a NaN (a placeholder
 * here, a number to DuckDB), is read again as text, so that every value is typed as the Typer would have.
 */
final class TypedCsv {
    /** Typed reads before every column is read as text; each names the misfit columns it found. */
    private static final int ATTEMPTS = 3;

    private TypedCsv() {}

    /** Creates {@code raw} from the file and gives its columns and their types. */
    static Map<String, String> load(Connection db, TableSource.Delimited csv, int k, String raw) throws SQLException {
        var asText = new LinkedHashSet<String>();
        for (int attempt = 1; ; attempt++) {
            boolean allText = attempt > ATTEMPTS;
            Sql.run(db, "CREATE TEMP TABLE " + raw + " AS SELECT * FROM " + (allText ? csv.text(k) : csv.typed(k, asText)));
            var columns = columns(db, raw);
            if (allText) return columns;
            var misfits = misfits(db, raw, columns, k);
            if (misfits.isEmpty()) return columns;
            asText.addAll(misfits);
            for (var drop : List.of("DROP TABLE " + raw, "DROP TABLE IF EXISTS rejects_" + k, "DROP TABLE IF EXISTS rejects_scan_" + k)) Sql.run(db, drop);
        }
    }

    static Map<String, String> columns(Connection db, String relation) throws SQLException {
        return Sql.query(db, "DESCRIBE " + relation, rs -> {
            var m = new LinkedHashMap<String, String>();
            while (rs.next()) m.put(rs.getString("column_name"), rs.getString("column_type"));
            return m;
        });
    }

    /** Typed columns that lost a value to a failed cast, or hold a NaN. */
    private static Set<String> misfits(Connection db, String raw, Map<String, String> columns, int k) throws SQLException {
        var out = new LinkedHashSet<String>(Sql.query(db, "SELECT DISTINCT column_name FROM rejects_" + k + " WHERE error_type = 'CAST'", rs -> {
            var l = new ArrayList<String>();
            while (rs.next()) l.add(rs.getString(1));
            return l;
        }));
        var doubles = columns.entrySet().stream().filter(e -> e.getValue().equals("DOUBLE")).map(Map.Entry::getKey).toList();
        if (doubles.isEmpty()) return out;
        var sql = "SELECT " + doubles.stream().map(c -> "bool_or(isnan(" + Sql.id(c) + "))").collect(Collectors.joining(", ")) + " FROM " + raw;
        Sql.query(db, sql, rs -> {
            rs.next();
            for (int i = 0; i < doubles.size(); i++) if (rs.getBoolean(i + 1)) out.add(doubles.get(i));
            return null;
        });
        return out;
    }
}
