package dev.labdesk.worker.chat.profile;

import dev.labdesk.model.ProfileField;
import dev.labdesk.model.SourcedProfile;

import java.util.Objects;

/**
 * What a turn changed in the profile, laid over the profile as it is now. A turn starts from one
 * profile ({@code base}) and may take long (a model streaming); a field changed meanwhile (an edit by
 * hand) is kept unless the turn changed that field too. Pure.
 */
public final class ProfileMerge {
    private ProfileMerge() {}

    /** {@code current} with every field whose value or source differs between {@code base} and {@code updated} taken from {@code updated}. */
    public static SourcedProfile merge(SourcedProfile current, SourcedProfile base, SourcedProfile updated) {
        var profile = current;
        for (var f : ProfileField.values()) {
            var value = f.get(updated.profile());
            if (value.equals(f.get(base.profile())) && Objects.equals(updated.source(f), base.source(f))) continue;
            profile = updated.source(f) == null ? profile.edited(f, value.orElse(null)) : profile.with(f, value.orElse(null), updated.source(f));
        }
        return profile;
    }
}
