package dev.labdesk.worker.agent;

import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.AgentRun.AgentExit;
import dev.labdesk.worker.testing.LargeTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real agent profiling a table large enough to take several seconds: the worker hears its
 * progress at least every 2 s, naming the file, its place among the table files and the profile's stage,
 * with {@code done} climbing while DuckDB works (not only when a file ends).
 */
class AgentProgressTest {
    /** Rows of the large table: enough for its profile to last well over 5 s on two shared cores. */
    static final int ROWS = 8_000_000; // long enough (several seconds) to need heartbeats, even on a quiet machine with the faster profile

    @TempDir Path dataDir;
    @TempDir Path volume;
    private Worker worker;

    @BeforeEach
    void start() throws IOException {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void aLargeTableSendsProgressAtLeastEveryTwoSecondsWithDoneClimbing() throws Exception {
        Files.writeString(volume.resolve("a-small.csv"), "x,y\n1,2\n");
        LargeTables.plateCsv(volume.resolve("growth.csv"), ROWS);
        var run = RegisteredRun.in(worker);
        var job = new AgentJob(run.sessionId(), "dataset-volume-x", volume, null, worker.baseUrl().resolve("/log"), run.token(),
                Duration.ofMinutes(10));
        var exit = new ProcessAgentLauncher(worker.config()).launch(job).exit().get(10, TimeUnit.MINUTES);
        assertThat(exit.kind()).as(exit.detail()).isEqualTo(AgentExit.Kind.SUCCEEDED);

        var progress = run.events(SessionEvent.Progress.class);
        assertThat(progress).allSatisfy(p -> assertThat(p.total()).isEqualTo(2_000));
        assertThat(progress).extracting(SessionEvent.Progress::done).isSorted();
        var large = progress.stream().filter(p -> p.step().startsWith("Profiling growth.csv (2 of 2 table files)")).toList();
        assertThat(large.getFirst().step()).isEqualTo("Profiling growth.csv (2 of 2 table files)");
        var took = Duration.between(large.getFirst().time(), large.getLast().time());
        assertThat(took).as("the large table's profile must last long enough to test the heartbeat").isGreaterThan(Duration.ofSeconds(3));
        for (int i = 1; i < large.size(); i++)
            assertThat(Duration.between(large.get(i - 1).time(), large.get(i).time()))
                    .as("gap before %s", large.get(i)).isLessThanOrEqualTo(Duration.ofSeconds(2));
        var end = progress.stream().filter(p -> p.step().equals("Profiled growth.csv (2 of 2 table files)")).findFirst().orElseThrow();
        assertThat(Duration.between(large.getLast().time(), end.time())).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(end.done()).isEqualTo(2_000);
        // done moves inside the table, not only at its ends; and every stage is named as it begins
        assertThat(large.stream().mapToLong(SessionEvent.Progress::done).filter(d -> d > 1_000 && d < 2_000).distinct().count())
                .isGreaterThanOrEqualTo(4);
        assertThat(large).extracting(SessionEvent.Progress::step).contains(
                "Profiling growth.csv (2 of 2 table files): reading the file",
                "Profiling growth.csv (2 of 2 table files): recognising column types",
                "Profiling growth.csv (2 of 2 table files): computing column statistics",
                "Profiling growth.csv (2 of 2 table files): looking for duplicate rows and correlations");
        System.out.printf("growth.csv (%d rows) profiled in %.1f s, %d progress events%n", ROWS, took.toMillis() / 1e3, large.size());
    }
}
