package dev.labdesk.worker.events.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of the short strings nearly every record repeats: levels and logger names.
 * Each stored event is otherwise its own eight objects; with these shared it is four, and the
 * young collections that copy a session's retained events have half as many to copy (at 1,000
 * records/s those copies were the worker's longest pauses, docs/BENCHMARKS.md). Bounded, so
 * an agent inventing a logger name per record costs only the lookups.
 */
final class RepeatedNames {
    static final int MAX_NAMES = 1024;
    static final int MAX_LENGTH = 128;

    private final Map<String, String> names = new ConcurrentHashMap<>();

    /** {@code name} itself, or an equal string handed out before. */
    String canonical(String name) {
        if (name == null || name.length() > MAX_LENGTH) return name;
        var known = names.get(name);
        if (known != null) return known;
        if (names.size() >= MAX_NAMES) return name;
        var raced = names.putIfAbsent(name, name);
        return raced == null ? name : raced;
    }
}
