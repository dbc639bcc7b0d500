package dev.labdesk.worker.session;

import dev.labdesk.model.SessionInfo;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sessions of this instance waiting for an agent, in fair order: owners take turns in rounds
 * (each owner has at most one session in a round), first come first served within a round, so that
 * one principal's twenty uploads do not make another's single upload wait behind all of them.
 * A session's round is fixed when it arrives, so a cancel or a start never reorders the others.
 * Not thread-safe: {@link SessionService} guards it with its own lock.
 */
final class AgentQueue {
    private record Place(long round, long arrival) {}

    private static final Comparator<Place> ORDER = Comparator.comparingLong(Place::round).thenComparingLong(Place::arrival);

    private final TreeMap<Place, SessionInfo> waiting = new TreeMap<>(ORDER);
    private final Map<String, Place> places = new HashMap<>();
    /** The last round each owner has a session in (waiting or started). */
    private final Map<String, Long> ownerRounds = new HashMap<>();
    private long arrivals;
    private long lastStartedRound = -1;

    void add(SessionInfo session) {
        // a newcomer joins the earliest round still waiting, never one already served
        long round = Math.max(base(), ownerRounds.getOrDefault(owner(session), Long.MIN_VALUE) + 1);
        var place = new Place(round, arrivals++);
        ownerRounds.put(owner(session), round);
        waiting.put(place, session);
        places.put(session.sessionId(), place);
    }

    /** Takes a session out of the queue (cancelled); false when it was not waiting here. */
    boolean remove(String sessionId) {
        var place = places.remove(sessionId);
        if (place == null) return false;
        waiting.remove(place);
        return true;
    }

    /** The next session to get an agent. */
    Optional<SessionInfo> poll() {
        var next = waiting.pollFirstEntry();
        if (next == null) return Optional.empty();
        places.remove(next.getValue().sessionId());
        lastStartedRound = next.getKey().round();
        // an owner whose last round is before the base needs no memory: its next session gets the base anyway
        long base = base();
        ownerRounds.values().removeIf(r -> r < base);
        return Optional.of(next.getValue());
    }

    /** The earliest round a newcomer may join: the one being served if anyone waits in it, else the next. */
    private long base() {
        return waiting.isEmpty() ? lastStartedRound + 1 : waiting.firstKey().round();
    }

    /** Every waiting session, the next to start first. */
    List<SessionInfo> order() {
        return List.copyOf(waiting.values());
    }

    /** Empties the queue (shutdown), returning what waited. */
    List<SessionInfo> drain() {
        var all = order();
        waiting.clear();
        places.clear();
        return all;
    }

    int size() {
        return waiting.size();
    }

    private static String owner(SessionInfo session) {
        return session.owner() == null ? "" : session.owner();
    }
}
