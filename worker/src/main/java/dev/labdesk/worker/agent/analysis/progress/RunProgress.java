package dev.labdesk.worker.agent.analysis.progress;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The run's progress bar: table file i of n, the stage of its profile and DuckDB's progress on the
 * running query, as {@code done} of {@code total} where each table file is {@link #PER_TABLE}. Each change
 * of table or stage is sent at once; while a step lasts, a heartbeat sends the current state at least
 * every {@link #HEARTBEAT}, so a long query still shows the run is alive. {@code done} never goes back.
 */
public final class RunProgress implements TableProgress, AutoCloseable {
    public static final long PER_TABLE = 1_000;
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final double QUERY_SHARE = 0.5;

    private final ProgressListener listener;
    private final Duration heartbeat;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread ticker, prober;
    private volatile QueryProgress query = QueryProgress.NONE;
    private volatile boolean closed;
    private int tables, table;
    private String step; // null between steps: nothing to repeat
    private ProfileStage stage;
    private long done, lastSent;
    private double banked, lastQuery; // the stage's share credited to queries already finished; the running one's last reading
    private volatile int generation; // bumped by every stage change: a reading taken before it belongs to the old stage

    public RunProgress(ProgressListener listener) {
        this(listener, HEARTBEAT);
    }

    RunProgress(ProgressListener listener, Duration heartbeat) {
        this.listener = listener;
        this.heartbeat = heartbeat;
        this.ticker = Thread.ofPlatform().name("labdesk-progress").daemon().start(this::tick);
        // DuckDB may hold its answer for seconds while a statement binds or finishes: asking must never delay the heartbeat
        this.prober = Thread.ofPlatform().name("labdesk-progress-probe").daemon().start(this::probe);
    }

    /** The run has this many table files to profile. */
    public void tables(int n) {
        lock.lock();
        try {
            tables = n;
        } finally {
            lock.unlock();
        }
    }

    /** Table file {@code index} (from 1) starts. */
    public void startTable(int index, String path) {
        lock.lock();
        try {
            table = index;
            stage = null;
            generation++;
            step = "Profiling " + path + " (" + index + " of " + files(tables) + ")";
            advance((index - 1) * PER_TABLE);
            send();
        } finally {
            lock.unlock();
        }
    }

    /** Table file {@code index} is finished (profiled, or listed as not read). */
    public void endTable(int index, String path) {
        lock.lock();
        try {
            advance(index * PER_TABLE);
            stage = null;
            step = "Profiled " + path + " (" + index + " of " + files(tables) + ")";
            send();
            step = null;
        } finally {
            lock.unlock();
        }
    }

    /** A step outside the tables (the model writing the summary): the bar stays, the heartbeat goes on. */
    public void activity(String text) {
        lock.lock();
        try {
            stage = null;
            step = text;
            send();
        } finally {
            lock.unlock();
        }
    }

    /** Nothing more to repeat until the next step. */
    public void idle() {
        lock.lock();
        try {
            step = null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stage(ProfileStage s) {
        lock.lock();
        try {
            if (table == 0 || step == null) return;
            stage = s;
            banked = 0;
            lastQuery = 0;
            generation++;
            advance(at(s.start()));
            send();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void within(double fraction) {
        lock.lock();
        try {
            if (stage != null) advance(at(stage.start() + (stage.end() - stage.start()) * Math.clamp(fraction, 0, 1)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * A stage runs an unknown number of queries: each one moves the bar over half of what is left of
     * the stage, so it keeps moving while DuckDB works and never runs ahead of the next stage.
     */
    private void queried(double fraction) {
        if (fraction < lastQuery - 0.01) banked += (1 - banked) * lastQuery * QUERY_SHARE; // a new query began
        lastQuery = fraction;
        within(banked + (1 - banked) * fraction * QUERY_SHARE);
    }

    @Override
    public void watch(QueryProgress q) {
        this.query = q;
    }

    private long at(double ofTable) {
        return (table - 1) * PER_TABLE + Math.round(ofTable * PER_TABLE);
    }

    private void advance(long to) {
        done = Math.max(done, Math.min(to, (long) tables * PER_TABLE));
    }

    private void send() {
        if (step == null) return;
        var text = stage == null ? step : step + ": " + stage.label();
        listener.progress(text, done, (long) tables * PER_TABLE);
        lastSent = System.nanoTime();
    }

    private void tick() {
        while (!closed) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            }
            lock.lock();
            try {
                if (!closed && step != null && System.nanoTime() - lastSent >= heartbeat.toNanos()) send();
            } finally {
                lock.unlock();
            }
        }
    }

    private void probe() {
        while (!closed) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            }
            int seen = generation;
            var q = query.fraction(); // outside the lock: the native call may take a while
            lock.lock();
            try {
                if (!closed && step != null && q.isPresent() && seen == generation) queried(q.getAsDouble());
            } finally {
                lock.unlock();
            }
        }
    }

    private static String files(int n) {
        return String.format(Locale.ROOT, "%d table file%s", n, n == 1 ? "" : "s");
    }

    /** Stops the heartbeat; call before the database it watches is closed. */
    @Override
    public void close() {
        closed = true;
        query = QueryProgress.NONE;
        ticker.interrupt();
        prober.interrupt();
        try {
            ticker.join(Duration.ofSeconds(5));
            prober.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
