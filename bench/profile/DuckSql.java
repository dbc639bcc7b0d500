import java.sql.DriverManager;
import java.sql.ResultSet;

/**
 * Runs SQL statements (one per argument) on an in-memory DuckDB through its JDBC driver, as the DuckDB
 * CLI would (no CLI is installed here), printing each result's rows and how long each statement took.
 * Settings come first as statements: java -cp duckdb_jdbc.jar DuckSql.java "SET threads = 2" "SUMMARIZE 'f.csv'"
 */
public class DuckSql {
    public static void main(String[] args) throws Exception {
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var s = db.createStatement()) {
            for (var sql : args) {
                long start = System.nanoTime();
                int rows = 0;
                if (s.execute(sql)) {
                    try (ResultSet rs = s.getResultSet()) {
                        int n = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            var line = new StringBuilder();
                            for (int i = 1; i <= n; i++) line.append(i > 1 ? " | " : "").append(rs.getString(i));
                            if (rows++ < 20) System.out.println(line);
                        }
                    }
                }
                System.err.printf("duck-sql: %.3f s  %s%n", (System.nanoTime() - start) / 1e9, sql.length() > 80 ? sql.substring(0, 80) + "…" : sql);
            }
        }
    }
}
