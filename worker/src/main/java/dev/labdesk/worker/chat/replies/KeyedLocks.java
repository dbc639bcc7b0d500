package dev.labdesk.worker.chat.replies;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Per-key state, each behind its own lock, made on first use and forgotten once idle: the chat's
 * per-user maps, which must not grow with every user ever seen. A caller that lost a race with the
 * forgetting takes the fresh state, so two holders of one key never hold different states.
 *
 * @param <S> the state of one key; touched only under its lock
 */
public final class KeyedLocks<S> {
    private final ConcurrentHashMap<String, Held<S>> held = new ConcurrentHashMap<>();
    private final Function<String, Held<S>> fresh;
    private final Predicate<S> idle;

    /** @param idle whether a state holds nothing worth keeping (checked under its lock, on {@link #unlock}) */
    public KeyedLocks(Supplier<S> create, Predicate<S> idle) {
        this.fresh = key -> new Held<>(create.get());
        this.idle = idle;
    }

    /** One key's state and its lock. A holder may lock it again later while the state is not idle. */
    public static final class Held<S> {
        private final ReentrantLock lock = new ReentrantLock();
        private final S state;
        private boolean retired;

        private Held(S state) {
            this.state = state;
        }

        public S state() {
            return state;
        }

        /** Locks again a state known to be kept (not idle since the caller last held it); released with {@link #unlock}. */
        public void lock() {
            lock.lock();
        }
    }

    /** The key's state, locked; the caller releases it with {@link #unlock}. */
    public Held<S> lock(String key) {
        while (true) {
            var h = held.get(key);
            if (h == null) h = held.computeIfAbsent(key, fresh);
            h.lock.lock();
            if (!h.retired) return h;
            h.lock.unlock(); // forgotten meanwhile: take the fresh one
        }
    }

    /** Forgets the key's state if it is idle, then unlocks it. */
    public void unlock(String key, Held<S> h) {
        try {
            if (idle.test(h.state)) {
                h.retired = true;
                held.remove(key, h);
            }
        } finally {
            h.lock.unlock();
        }
    }

    /** Every state kept now, without its lock (for reads that tolerate a concurrent change). */
    public void forEach(Consumer<S> action) {
        for (var h : held.values()) action.accept(h.state);
    }
}
