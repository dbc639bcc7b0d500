package dev.labdesk.worker.agent.analysis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;

/** A real profiler (its own DuckDB in {@code scratch}) per test, and a volume to put the files it reads in. */
public abstract class ProfilerFixture {
    @TempDir protected Path volume;
    @TempDir protected Path scratch;
    protected TableProfiler profiler;

    @BeforeEach
    void openProfiler() {
        profiler = new TableProfiler(scratch);
    }

    @AfterEach
    void closeProfiler() throws SQLException {
        profiler.close();
    }
}
