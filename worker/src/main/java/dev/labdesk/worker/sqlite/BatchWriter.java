package dev.labdesk.worker.sqlite;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Many callers' small writes gathered into one task of the database's group commit by a platform
 * thread of its own ({@link Database#batchWriter}): no savepoint per write, no commit on a virtual
 * thread (SQLite's native code pins its carrier, one of as many as there are cores, while it runs), and
 * every caller of a batch woken at once when its commit is done. A batch runs its writes in the order
 * they were submitted; when one fails, the batch is rolled back and run again without it, so only that
 * write fails: a write must therefore only change the database (it may run twice).
 */
public final class BatchWriter implements AutoCloseable {
    private static final int MAX_BATCH = 4096;

    private record Op<T>(Database.Work<T> work, CompletableFuture<T> done) {}

    private record Failed(RuntimeException failure) {}

    private static final Op<Void> STOP = new Op<>(h -> null, new CompletableFuture<>());

    private final Database db;
    private final LinkedBlockingQueue<Op<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    BatchWriter(Database db, String name) {
        this.db = db;
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Queues {@code work} for the next batch; the future completes once its commit is done. */
    public <T> CompletableFuture<T> submit(Database.Work<T> work) {
        if (closed) throw new StoreUnavailableException("the worker is shutting down", null);
        var op = new Op<>(work, new CompletableFuture<T>());
        queue.add(op);
        return op.done();
    }

    private void run() {
        var batch = new ArrayList<Op<?>>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() stops it, with STOP, after what was queued before
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) write(batch);
            batch.clear();
            if (stop) return;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void write(List<Op<?>> batch) {
        Object[] results;
        try {
            results = db.write(h -> runAll(h, batch));
        } catch (RuntimeException e) { // the commit failed: nothing of the batch was stored
            for (var op : batch) op.done().completeExceptionally(e);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (results[i] instanceof Failed f) batch.get(i).done().completeExceptionally(f.failure());
            else ((CompletableFuture) batch.get(i).done()).complete(results[i]);
        }
    }

    /**
     * The writes in order, in one savepoint. When one fails, that savepoint is rolled back and the others
     * run again with a savepoint each, so each of them fails alone (a full disk fails them one by one,
     * not by a pass over the batch per failure).
     */
    private static Object[] runAll(Handle h, List<Op<?>> batch) throws SQLException {
        var c = h.connection();
        var results = new Object[batch.size()];
        var all = c.setSavepoint();
        int failed = 0;
        try {
            for (; failed < batch.size(); failed++) results[failed] = batch.get(failed).work().run(h);
            c.releaseSavepoint(all);
            return results;
        } catch (SQLException | RuntimeException e) {
            h.forgetStatements();
            c.rollback(all);
            c.releaseSavepoint(all);
            results[failed] = new Failed(translate(e));
        }
        for (int i = 0; i < batch.size(); i++) {
            if (i == failed) continue;
            var one = c.setSavepoint();
            try {
                results[i] = batch.get(i).work().run(h);
                c.releaseSavepoint(one);
            } catch (SQLException | RuntimeException e) {
                h.forgetStatements();
                c.rollback(one);
                c.releaseSavepoint(one);
                results[i] = new Failed(translate(e));
            }
        }
        return results;
    }

    private static RuntimeException translate(Exception e) {
        return e instanceof SQLException s ? Database.translate(s) : (RuntimeException) e;
    }

    /** Commits what was submitted before, then stops the thread; later submissions are refused. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        queue.add(STOP);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (Op<?> op; (op = queue.poll()) != null; ) // submitted while it closed
            op.done().completeExceptionally(new StoreUnavailableException("the worker is shutting down", null));
        if (interrupted) Thread.currentThread().interrupt();
    }
}
