package dev.labdesk.worker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Large real tables for tests of long runs, written by DuckDB. */
public final class LargeTables {
    private LargeTables() {}

    /** A plate-reader style CSV: wells, strains, days, minutes, readings with gaps, temperatures, sample ids. */
    public static Path plateCsv(Path file, int rows) throws IOException, SQLException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var s = db.createStatement()) {
            s.execute("COPY (SELECT 'W' || (i % 384) AS well, CASE WHEN i % 3 = 0 THEN 'wt' ELSE 'mut' END AS strain,"
                    + " DATE '2026-01-01' + CAST(i % 365 AS INTEGER) AS day, i % 1440 AS minute,"
                    + " CASE WHEN i % 97 = 0 THEN NULL ELSE round(0.05 + (i % 1000) / 1000.0, 4) END AS od600,"
                    + " round(20 + (i % 170) / 10.0, 1) AS temp_c, md5(CAST(i AS VARCHAR)) AS sample"
                    + " FROM range(" + rows + ") r(i)) TO '" + file.toString().replace("'", "''") + "' (HEADER, DELIMITER ',')");
        }
        if (Files.size(file) < rows * 20L) throw new IOException("the large table was not written");
        return file;
    }
}
