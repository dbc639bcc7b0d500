package dev.labdesk.worker.events;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * A log's waits for appends. A virtual thread's timed wait arms a timer on the scheduler's delay thread and
 * cancels it when woken, two wake-ups of that platform thread for every event a live reader is sent; so a
 * wait of {@link #TICKED} or more waits untimed, and one thread that ticks only while such waits exist
 * wakes them every {@link #TICK} to look at their deadline (which they overrun by at most a tick).
 */
final class LongWaits {
    static final Duration TICK = Duration.ofMillis(250);
    /** Shorter waits keep their own timer: a tick would be a large share of them. */
    static final Duration TICKED = Duration.ofSeconds(1);

    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    private final String name;
    private boolean ticking; // under this

    /** {@code name}: the ticking thread's. */
    LongWaits(String name) {
        this.name = name;
    }

    /** Waits on {@code appended} (its {@code lock} held) until {@code arrived} or {@code wait} has passed. */
    void await(Lock lock, Condition appended, Duration wait, BooleanSupplier arrived) throws InterruptedException {
        long nanos = wait.toNanos();
        if (nanos < TICKED.toNanos()) {
            while (!arrived.getAsBoolean() && nanos > 0) nanos = appended.awaitNanos(nanos);
            return;
        }
        if (arrived.getAsBoolean()) return;
        long deadline = System.nanoTime() + nanos;
        var waiter = new Waiter(lock, appended);
        waiting.add(waiter);
        try {
            tick();
            while (!arrived.getAsBoolean() && deadline - System.nanoTime() > 0) appended.await();
        } finally {
            waiting.remove(waiter);
        }
    }

    /** How many waits the ticks serve now. */
    int waiting() {
        return waiting.size();
    }

    private synchronized void tick() {
        if (ticking) return;
        ticking = true;
        Thread.ofPlatform().daemon().name(name).start(this::ticks);
    }

    private void ticks() {
        try {
            while (true) {
                Thread.sleep(TICK);
                synchronized (this) {
                    if (waiting.isEmpty()) { // a wait added after this starts another ticker
                        ticking = false;
                        return;
                    }
                }
                for (var w : waiting) w.wake();
            }
        } catch (InterruptedException e) {
            synchronized (this) {
                ticking = false;
            }
        }
    }

    /** One wait (identity: two readers of one log are two waiters). */
    private static final class Waiter {
        private final Lock lock;
        private final Condition condition;

        Waiter(Lock lock, Condition condition) {
            this.lock = lock;
            this.condition = condition;
        }

        void wake() {
            lock.lock();
            try {
                condition.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
