package dev.labdesk.worker.agent.analysis.progress;

/** What the profiler tells about the table it is on: its stage, a reader's own fraction of that stage, and the database to watch. */
public interface TableProgress {
    TableProgress NONE = new TableProgress() {
        @Override public void stage(ProfileStage stage) {}
        @Override public void within(double fraction) {}
        @Override public void watch(QueryProgress query) {}
    };

    void stage(ProfileStage stage);

    /** How far the current stage has got (0–1) when the reader itself knows it, not DuckDB. */
    void within(double fraction);

    /** The source of the running query's progress, polled between the profiler's own reports. */
    void watch(QueryProgress query);
}
