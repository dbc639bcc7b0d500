package dev.labdesk.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A profile with, for each known field, the id of the message it was taken from
 * ({@code sources}: wire field name → message id).
 */
public record SourcedProfile(Profile profile, Map<String, String> sources) {
    public static final SourcedProfile EMPTY = new SourcedProfile(Profile.EMPTY, Map.of());

    public SourcedProfile {
        profile = profile == null ? Profile.EMPTY : profile;
        sources = sources == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** This profile with {@code field} set to {@code value}, taken from message {@code sourceMessageId}. */
    public SourcedProfile with(ProfileField field, String value, String sourceMessageId) {
        var s = new LinkedHashMap<>(sources);
        if (value == null) s.remove(field.wire());
        else if (sourceMessageId != null) s.put(field.wire(), sourceMessageId);
        return new SourcedProfile(field.set(profile, value), s);
    }

    /** This profile with {@code field} set by hand: it keeps no source message ({@code null} clears it). */
    public SourcedProfile edited(ProfileField field, String value) {
        var s = new LinkedHashMap<>(sources);
        s.remove(field.wire());
        return new SourcedProfile(field.set(profile, value), s);
    }

    public String source(ProfileField field) {
        return sources.get(field.wire());
    }
}
