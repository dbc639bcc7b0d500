package dev.labdesk.worker.sqlite;

import dev.labdesk.worker.WorkerConfig.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The worker's embedded database, {@code {dataDir}/labdesk.db}: SQLite in WAL mode, opened once per
 * worker. One writer at a time commits whatever writes are waiting as one transaction (group commit),
 * so many small writes share one commit; a write that returned is in the WAL and
 * survives the worker's crash ({@link #SYNCHRONOUS} says what a power cut may take). Each write runs in its own savepoint,
 * so one that fails leaves the others of its group intact. Reads use a small pool of connections that
 * WAL lets run beside the writer, and the WAL is folded back into the database beside it too
 * ({@link Checkpointer}), never inside a commit. A lock file keeps a second worker process off the same data dir.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    public static final String FILE = "labdesk.db";
    static final String LOCK_FILE = "labdesk.db.lock";
    private static final int READERS = 4;
    /**
     * A commit is written to the WAL before it returns, so it survives the worker's crash or kill -9; the
     * WAL is fsynced at each checkpoint ({@link Checkpointer}: a pass at most {@link Checkpointer#PAUSE}
     * after writes), not at each commit (an OS crash or power cut may lose the last commits since then,
     * never the database's consistency). FULL (an fsync per group commit) made every live-log post wait
     * for the disk.
     */
    static final SQLiteConfig.SynchronousMode SYNCHRONOUS = SQLiteConfig.SynchronousMode.NORMAL;
    private static final int MAX_GROUP = 4096;
    /** Bytes the WAL file is cut back to when it starts over after a burst (32 MiB; twice what {@link Checkpointer#RESTART_FRAMES} lets it reach while writes stream). */
    static final long WAL_SIZE_LIMIT = 32L << 20;

    /** Work on a connection; runs on the writer thread (writes) or a pooled reader (reads). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Handle db) throws SQLException;
    }

    private record Task<T>(Work<T> work, CompletableFuture<T> done) {}

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Handle writer;
    private final BlockingQueue<Handle> readers;
    private final Checkpointer checkpointer;
    private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();
    /** Held by the thread committing for everyone (the writer connection is used by one thread at a time). */
    private final ReentrantLock committing = new ReentrantLock();
    private volatile boolean closed;
    /** Closed before the database, so what they were given is committed. */
    private final List<BatchWriter> batchWriters = new CopyOnWriteArrayList<>();

    private Database(Path file, FileChannel lockChannel, FileLock lock, Handle writer, BlockingQueue<Handle> readers,
                     Connection checkpoints) throws SQLException {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.writer = writer;
        this.readers = readers;
        this.checkpointer = new Checkpointer(checkpoints, this::betweenCommits);
    }

    /**
     * Opens (or creates) the database of {@code dataDir} and migrates its schema forward. A database
     * another worker process holds, one that is corrupt, or one from a newer Labdesk stops the start
     * with one clear line ({@link ConfigException}): starting empty would hide everything it holds.
     */
    public static Database open(Path dataDir) {
        var file = dataDir.toAbsolutePath().normalize().resolve(FILE);
        FileChannel channel = null;
        FileLock lock;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file.resolveSibling(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                var holder = readHolder(channel);
                channel.close();
                throw new ConfigException("the database " + file + " is in use by another Labdesk worker" + holder
                        + ": stop that worker, or give this one another LABDESK_DATA_DIR");
            }
            channel.truncate(0).write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigException("cannot open the database " + file + ": " + e.getMessage());
        }
        Handle writer = null;
        Connection checkpoints = null;
        var readers = new ArrayBlockingQueue<Handle>(READERS);
        try {
            writer = new Handle(connect(file, Role.WRITER));
            Schema.migrate(writer, file);
            for (int i = 0; i < READERS; i++) readers.add(new Handle(connect(file, Role.READER)));
            checkpoints = connect(file, Role.CHECKPOINTER);
            return new Database(file, channel, lock, writer, readers, checkpoints);
        } catch (SQLException | RuntimeException e) {
            if (writer != null) writer.close();
            readers.forEach(Handle::close);
            if (checkpoints != null) new Handle(checkpoints).close();
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing below releases it too
            }
            closeQuietly(channel);
            if (e instanceof ConfigException c) throw c;
            throw new ConfigException(Schema.describe(file, e));
        }
    }

    private static String readHolder(FileChannel channel) {
        try {
            var buffer = ByteBuffer.allocate(32);
            int n = channel.read(buffer, 0);
            var pid = n > 0 ? new String(buffer.array(), 0, n, StandardCharsets.US_ASCII).strip() : "";
            return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The writer commits in groups; readers only read; the checkpointer folds the WAL back ({@link Checkpointer}). */
    private enum Role { WRITER, READER, CHECKPOINTER }

    private static Connection connect(Path file, Role role) throws SQLException {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SYNCHRONOUS);
        config.setBusyTimeout(10_000);
        config.setCacheSize(-16_000); // KiB
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // no JDBC generated keys: the driver otherwise matched every update's SQL against a pattern and ran
        // SELECT last_insert_rowid() (prepared, stepped, finalised) after each INSERT, which nothing here reads
        config.setGetGeneratedKeys(false);
        if (role == Role.READER) config.setReadOnly(true);
        var connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        if (role != Role.READER) {
            try (var s = connection.createStatement()) {
                // no commit checkpoints on its own: the checkpointer's thread does, beside the writer
                s.execute("PRAGMA wal_autocheckpoint = 0");
                // a WAL grown by a burst is cut back to this size when it restarts, not kept at its largest
                s.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT);
            }
        }
        if (role == Role.WRITER) connection.setAutoCommit(false);
        return connection;
    }

    public Path file() {
        return file;
    }

    /**
     * Runs {@code work} in the next group commit and returns its result once that commit is done. The
     * caller commits itself when no one else is (no hand-over to another thread for a lone write);
     * writes queued meanwhile by others go into its commit, and theirs wait for it.
     */
    public <T> T write(Work<T> work) {
        return complete(queue(work));
    }

    /**
     * Queues {@code work} for the next group commit and returns at once: writes queued one after another
     * run in that order; {@link #complete} then waits for (or makes) the commit. For a caller that must fix
     * the order of its writes under a lock without holding the lock through the commit.
     */
    public <T> CompletableFuture<T> queue(Work<T> work) {
        if (closed) throw new StoreUnavailableException("the worker is shutting down", null);
        var task = new Task<>(work, new CompletableFuture<T>());
        queue.add(task);
        return task.done();
    }

    /** The outcome of a write {@link #queue}d: commits what is queued unless another thread is, and waits. */
    public <T> T complete(CompletableFuture<T> done) {
        committing.lock();
        try {
            while (!done.isDone()) commitQueued();
        } finally {
            committing.unlock();
        }
        drain(); // what was queued while this commit ran, if its writers did not commit it themselves
        return await(done);
    }

    /**
     * Runs {@code work} in the next group commit without waiting for it: for writes whose loss in a
     * crash costs nothing (a touch time); ordered with every other write.
     */
    public void submit(Work<?> work) {
        queue(work).exceptionally(e -> {
            log.warn("a background database write failed: {}", e.toString());
            return null;
        });
        drain();
    }

    /** A thread named {@code name} that gathers many callers' writes into one task of the group commit ({@link BatchWriter}); closed with the database. */
    public BatchWriter batchWriter(String name) {
        var writer = new BatchWriter(this, name);
        batchWriters.add(writer);
        return writer;
    }

    /** Commits what is queued unless another thread is committing (which then commits it, or its successor does). */
    private void drain() {
        while (!queue.isEmpty()) {
            if (!committing.tryLock()) {
                if (committing.isLocked()) return; // the holder drains before it lets go (write) or re-checks (drain)
                continue;
            }
            try {
                while (!queue.isEmpty()) commitQueued();
            } finally {
                committing.unlock();
            }
        }
    }

    /** Under {@link #committing}: one group commit of what is queued now. */
    private void commitQueued() {
        var group = new ArrayList<Task<?>>();
        for (Task<?> t; group.size() < MAX_GROUP && (t = queue.poll()) != null; ) group.add(t);
        if (!group.isEmpty()) commit(group, new ArrayList<>(group.size()));
    }

    public <T> T read(Work<T> work) {
        Handle h;
        try {
            h = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the database", e);
        }
        try {
            return work.run(h);
        } catch (SQLException e) {
            h.forgetStatements();
            throw translate(e);
        } finally {
            readers.add(h);
        }
    }

    private static <T> T await(CompletableFuture<T> done) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the write is queued: its outcome must be known before returning
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void commit(ArrayList<Task<?>> group, ArrayList<Object> results) {
        var c = writer.connection();
        try {
            if (group.size() == 1) { // nothing to keep apart from: the transaction is its savepoint
                try {
                    results.add(group.getFirst().work().run(writer));
                } catch (SQLException | RuntimeException e) {
                    writer.forgetStatements();
                    rollBack();
                    group.getFirst().done().completeExceptionally(e instanceof SQLException s ? translate(s) : e);
                    return;
                }
            } else for (var task : group) {
                var savepoint = c.setSavepoint();
                try {
                    results.add(task.work().run(writer));
                    c.releaseSavepoint(savepoint);
                } catch (SQLException | RuntimeException e) {
                    writer.forgetStatements();
                    var failure = e instanceof SQLException s ? translate(s) : (RuntimeException) e;
                    try {
                        c.rollback(savepoint);
                        c.releaseSavepoint(savepoint);
                    } catch (SQLException savepointGone) {
                        // SQLite rolled the whole transaction back: the writes before this one are gone too
                        rollBack();
                        for (var t : group) t.done().completeExceptionally(failure);
                        return;
                    }
                    results.add(new Failed(failure));
                }
            }
            c.commit();
            checkpointer.committed();
        } catch (SQLException e) {
            writer.forgetStatements();
            rollBack();
            var failure = translate(e);
            log.error("a database commit failed: {}", failure.getMessage());
            for (var task : group) task.done().completeExceptionally(failure);
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            var r = results.get(i);
            if (r instanceof Failed f) group.get(i).done().completeExceptionally(f.failure());
            else ((CompletableFuture) group.get(i).done()).complete(r);
        }
    }

    /**
     * Rolls the writer's transaction back and begins the next. SQLite may already have rolled it back
     * itself (a full disk during a write without a statement journal); the driver's rollback then fails
     * before its own BEGIN, and without this one every later commit would fail with no transaction open.
     */
    private void rollBack() {
        try {
            writer.connection().rollback();
        } catch (SQLException noTransaction) {
            try {
                writer.execute("BEGIN");
            } catch (SQLException e) {
                log.error("the database writer could not begin a transaction: {}", e.getMessage());
            }
        }
    }

    private record Failed(RuntimeException failure) {}

    /** A full disk or a failing one answers 503, so the client retries; anything else is a bug or corruption. */
    static RuntimeException translate(SQLException e) {
        if (e instanceof SQLiteException s) {
            var code = s.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_FULL)
                return new StoreUnavailableException("the disk holding the worker's database is full: nothing was stored; free space and retry", e);
            if (code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED || code.name().startsWith("SQLITE_IOERR")
                    || code.name().startsWith("SQLITE_BUSY"))
                return new StoreUnavailableException("the worker's database could not be written (" + code.name() + "): nothing was stored; retry", e);
        }
        return new IllegalStateException("database error: " + e.getMessage(), e);
    }

    /** Runs {@code step} between two group commits (the checkpointer's short pass); its answer. */
    private boolean betweenCommits(BooleanSupplier step) {
        boolean done;
        committing.lock();
        try {
            done = step.getAsBoolean();
        } finally {
            committing.unlock();
        }
        drain(); // writes submitted meanwhile found the lock held and left them to its holder
        return done;
    }

    @Override
    public void close() {
        if (closed) return;
        batchWriters.forEach(BatchWriter::close); // what they hold is written while writes are still taken
        closed = true;
        committing.lock();
        try {
            while (!queue.isEmpty()) commitQueued(); // what was accepted before the close is committed
        } finally {
            committing.unlock();
        }
        checkpointer.close(); // outside the lock: its short pass takes it
        // readers first: the last connection closed folds the WAL into the database, which a read-only one cannot
        for (Handle h; (h = readers.poll()) != null; ) h.close();
        writer.close();
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close releases it
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
