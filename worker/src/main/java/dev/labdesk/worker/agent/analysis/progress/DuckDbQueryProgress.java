package dev.labdesk.worker.agent.analysis.progress;

import org.duckdb.DuckDBPreparedStatement;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalDouble;

/**
 * DuckDB's own estimate of the running query's progress, read from another thread through a
 * statement kept for that (DuckDB answers for the connection, whichever statement asks). DuckDB
 * tracks progress only with its progress bar on; printing it is switched off so nothing reaches stdout.
 */
public final class DuckDbQueryProgress implements QueryProgress {
    private final DuckDBPreparedStatement probe;

    private DuckDbQueryProgress(DuckDBPreparedStatement probe) {
        this.probe = probe;
    }

    public static DuckDbQueryProgress on(Connection db) throws SQLException {
        for (var setting : new String[] {"SET enable_progress_bar = true", "SET enable_progress_bar_print = false"})
            try (var s = db.createStatement()) {
                s.execute(setting);
            }
        return new DuckDbQueryProgress(db.createStatement().unwrap(DuckDBPreparedStatement.class));
    }

    @Override
    public OptionalDouble fraction() {
        try {
            double percent = probe.getQueryProgress().getPercentage();
            return percent < 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.min(1.0, percent / 100));
        } catch (SQLException | RuntimeException e) {
            return OptionalDouble.empty(); // closed, or between queries: nothing to tell
        }
    }
}
