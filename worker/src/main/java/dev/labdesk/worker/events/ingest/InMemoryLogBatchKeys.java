package dev.labdesk.worker.events.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest {@link #MAX_KEYS} batch keys of this worker. An agent resends within seconds, so the
 * bound only has to outlast its retries, not the session.
 */
public final class InMemoryLogBatchKeys implements LogBatchKeys {
    static final int MAX_KEYS = 100_000;
    private final Map<String, String> keys = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_KEYS;
        }
    };

    @Override
    public synchronized Claim claim(String sessionId, String key, String bodyHash) {
        var stored = keys.putIfAbsent(sessionId + '\n' + key, bodyHash);
        return stored == null ? Claim.NEW : Claim.taken(stored, bodyHash);
    }

    @Override
    public synchronized void release(String sessionId, String key) {
        keys.remove(sessionId + '\n' + key);
    }
}
