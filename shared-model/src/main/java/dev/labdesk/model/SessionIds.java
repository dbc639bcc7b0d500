package dev.labdesk.model;

import java.util.UUID;
import java.util.regex.Pattern;

/** Session ids are random UUIDs; volume names derive from them and fit Modal's rules. */
public final class SessionIds {
    private static final Pattern ID = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    public static final String VOLUME_PREFIX = "dataset-volume-";

    private SessionIds() {}

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String volumeName(String sessionId) {
        return VOLUME_PREFIX + sessionId;
    }
}
