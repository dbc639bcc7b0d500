package dev.labdesk.worker.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Folds the WAL back into the database on a thread of its own, so that no commit waits for it. SQLite's
 * own auto-checkpoint runs inside the commit that crosses its threshold, and that commit's callers
 * (a live-log post and every record grouped with it) waited for the checkpoint's copy and two fsyncs.
 * Here the copy and its fsyncs run beside the writer (a passive checkpoint takes no lock writers
 * need). Once a pass has copied the whole WAL with no commit during it (writes paused), or the WAL has
 * grown past {@link #RESTART_FRAMES}, one short step between two group commits ({@code betweenCommits})
 * finishes the frames written meanwhile and starts the next WAL itself: a new WAL's first commit fsyncs
 * its header (and cuts the file back to its limit), and that commit would otherwise be the first user
 * write after a quiet spell. While writes stream, the WAL grows instead and commits are not held back.
 * Durability is unchanged: a commit is in the WAL before it returns, checkpointed or not.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);
    /** How long commits accumulate before a checkpoint copies them: one pass's fsyncs cover many commits. */
    static final Duration PAUSE = Duration.ofMillis(250);
    /**
     * WAL frames (pages) after which the WAL is restarted while writes stream: 4,096 pages of 4 KiB,
     * 16 MiB, half of {@link Database#WAL_SIZE_LIMIT}, so the restart never also cuts the file (a larger
     * WAL's truncation held commits back several times longer than the restart's fsyncs).
     */
    static final long RESTART_FRAMES = 4_096;

    /** Runs a step while no group commit is under way, and answers what the step answered. */
    @FunctionalInterface
    interface BetweenCommits {
        boolean run(BooleanSupplier step);
    }

    private final Handle connection;
    private final BetweenCommits betweenCommits;
    /** The database header's own value, written back unchanged to start a WAL. */
    private final long applicationId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    /** A commit since the last pass began; set without the lock, so a commit never waits for this thread. */
    private final AtomicBoolean pending = new AtomicBoolean();
    private boolean stopping; // guarded by lock

    Checkpointer(Connection connection, BetweenCommits betweenCommits) throws SQLException {
        this.connection = new Handle(connection);
        this.betweenCommits = betweenCommits;
        this.applicationId = this.connection.queryLong("PRAGMA application_id", 0);
        this.thread = Thread.ofPlatform().daemon().name("labdesk-db-checkpoint").start(this::run);
    }

    /** A group commit added frames to the WAL. */
    void committed() {
        if (pending.get() || !pending.compareAndSet(false, true)) return; // at most one signal per pass
        lock.lock();
        try {
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (awaitWork()) {
            try {
                // the long copy and its fsyncs run beside the writer; the short step between commits copies
                // only what came meanwhile and starts the next WAL
                var pass = checkpoint();
                // a commit during the pass wrote frames it did not copy, so SQLite will not start the WAL over
                // at the next write: restarting it here would only hold commits back for its fsyncs
                boolean quiet = !pending.get();
                boolean restarted = (pass.frames() >= RESTART_FRAMES || (quiet && pass.complete())) && betweenCommits.run(this::restartQuietly);
                // not started over (writes came, a reader held an older snapshot): pass again after the pause,
                // even if no commit comes, so a WAL left behind by the last writes is still started over
                if (!restarted && pass.frames() > 0) pending.set(true);
            } catch (SQLException | RuntimeException e) { // the thread goes on: a WAL that is never folded back only grows
                log.warn("a WAL checkpoint failed (the next one retries): {}", e.toString());
            }
            if (!pause()) return;
        }
    }

    /** Waits for a commit since the last pass; false once stopping. */
    private boolean awaitWork() {
        lock.lock();
        try {
            while (!pending.get() && !stopping) wake.awaitUninterruptibly();
            pending.set(false);
            return !stopping;
        } finally {
            lock.unlock();
        }
    }

    /** Lets commits accumulate; false once stopping. */
    private boolean pause() {
        lock.lock();
        try {
            long nanos = PAUSE.toNanos();
            while (!stopping && nanos > 0) { // a commit's signal does not end the pause
                try {
                    nanos = wake.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return !stopping;
        } finally {
            lock.unlock();
        }
    }

    /** Between two commits: copies what is left of the WAL and, if that was all, starts the next WAL here; whether it did. */
    private boolean restartQuietly() {
        try {
            if (!checkpoint().complete()) return false; // a reader still holds an older snapshot: the next pass retries
            // a one-page write that changes nothing (the header's application_id set to its own value)
            // is the new WAL's first commit, so its header fsync is paid here
            connection.execute("PRAGMA application_id = " + applicationId);
            return true;
        } catch (SQLException e) {
            log.warn("a WAL checkpoint failed (the next one retries): {}", e.getMessage());
            return false;
        }
    }

    /** {@code frames}: in the WAL; {@code checkpointed}: of those, copied into the database. */
    record Pass(boolean busy, long frames, long checkpointed) {
        /** Every frame of a non-empty WAL is in the database: the next write may start the WAL over. */
        boolean complete() {
            return !busy && frames > 0 && checkpointed == frames;
        }
    }

    private Pass checkpoint() throws SQLException {
        try (var s = connection.connection().createStatement(); var rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (!rs.next()) return new Pass(false, 0, 0);
            return new Pass(rs.getInt(1) != 0, rs.getLong(2), rs.getLong(3));
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            stopping = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        connection.close();
        if (interrupted) Thread.currentThread().interrupt();
    }
}
