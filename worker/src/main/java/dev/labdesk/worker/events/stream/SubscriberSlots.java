package dev.labdesk.worker.events.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * Bounds the live-log streams held open at once: at most {@code perSession} on one session and
 * {@code perPrincipal} for one principal, so neither one busy session nor one caller can hold every
 * thread and socket. Counted per worker instance: with Redis each instance keeps its own counts, so
 * behind a load balancer a principal may hold up to the cap on each instance.
 */
public final class SubscriberSlots {
    private final int perSession;
    private final int perPrincipal;
    private final Map<String, Integer> bySession = new HashMap<>();
    private final Map<String, Integer> byPrincipal = new HashMap<>();

    public SubscriberSlots(int perSession, int perPrincipal) {
        if (perSession < 1 || perPrincipal < 1) throw new IllegalArgumentException("each cap must be at least 1");
        this.perSession = perSession;
        this.perPrincipal = perPrincipal;
    }

    /** The answer to a request for a slot: a {@link Slot} to hold while streaming, or why there is none. */
    public sealed interface Admission permits Slot, Refused {}

    /** No slot: {@code detail} says which cap was reached. */
    public record Refused(String detail) implements Admission {}

    /** A held slot; closing it (once or more) frees it. */
    public final class Slot implements Admission, AutoCloseable {
        private final String sessionId;
        private final String principal;
        private boolean closed;

        private Slot(String sessionId, String principal) {
            this.sessionId = sessionId;
            this.principal = principal;
        }

        @Override
        public void close() {
            synchronized (SubscriberSlots.this) {
                if (closed) return;
                closed = true;
                decrement(bySession, sessionId);
                decrement(byPrincipal, principal);
            }
        }
    }

    /** Takes a slot for one stream of {@code sessionId} by {@code principal}, if both are below their caps. */
    public synchronized Admission admit(String sessionId, String principal) {
        if (bySession.getOrDefault(sessionId, 0) >= perSession)
            return new Refused("this session already has " + perSession + " live-log streams open; close one or try again later");
        if (byPrincipal.getOrDefault(principal, 0) >= perPrincipal)
            return new Refused("you already hold " + perPrincipal + " live-log streams open; close one or try again later");
        bySession.merge(sessionId, 1, Integer::sum);
        byPrincipal.merge(principal, 1, Integer::sum);
        return new Slot(sessionId, principal);
    }

    // an entry that falls to zero is removed, so the maps hold only sessions and principals streaming now
    private static void decrement(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
    }
}
