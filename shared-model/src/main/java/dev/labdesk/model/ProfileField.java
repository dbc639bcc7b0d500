package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The fields of a {@link Profile}, by wire name: the keys of a profile's {@code sources} map and the
 * vocabulary the agents fill in. Every value travels as text; {@code data_types} is a list whose text
 * form is comma-separated.
 */
public enum ProfileField {
    NAME(Profile::name, (p, v) -> new Profile(v, p.role(), p.organisation(), p.researchArea(), p.goals(),
            p.experienceLevel(), p.dataTypes(), p.preferredCommunicationStyle(), p.notes())),
    ROLE(Profile::role, (p, v) -> new Profile(p.name(), v, p.organisation(), p.researchArea(), p.goals(),
            p.experienceLevel(), p.dataTypes(), p.preferredCommunicationStyle(), p.notes())),
    ORGANISATION(Profile::organisation, (p, v) -> new Profile(p.name(), p.role(), v, p.researchArea(), p.goals(),
            p.experienceLevel(), p.dataTypes(), p.preferredCommunicationStyle(), p.notes())),
    RESEARCH_AREA(Profile::researchArea, (p, v) -> new Profile(p.name(), p.role(), p.organisation(), v, p.goals(),
            p.experienceLevel(), p.dataTypes(), p.preferredCommunicationStyle(), p.notes())),
    GOALS(Profile::goals, (p, v) -> new Profile(p.name(), p.role(), p.organisation(), p.researchArea(), v,
            p.experienceLevel(), p.dataTypes(), p.preferredCommunicationStyle(), p.notes())),
    EXPERIENCE_LEVEL(Profile::experienceLevel, (p, v) -> new Profile(p.name(), p.role(), p.organisation(), p.researchArea(),
            p.goals(), v, p.dataTypes(), p.preferredCommunicationStyle(), p.notes())),
    DATA_TYPES(p -> p.dataTypes() == null ? null : String.join(", ", p.dataTypes()),
            (p, v) -> new Profile(p.name(), p.role(), p.organisation(), p.researchArea(), p.goals(), p.experienceLevel(),
                    v == null ? null : splitList(v), p.preferredCommunicationStyle(), p.notes())),
    PREFERRED_COMMUNICATION_STYLE(Profile::preferredCommunicationStyle, (p, v) -> new Profile(p.name(), p.role(),
            p.organisation(), p.researchArea(), p.goals(), p.experienceLevel(), p.dataTypes(), v, p.notes())),
    NOTES(Profile::notes, (p, v) -> new Profile(p.name(), p.role(), p.organisation(), p.researchArea(), p.goals(),
            p.experienceLevel(), p.dataTypes(), p.preferredCommunicationStyle(), v));

    private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*(?:,|;|\\band\\b|\\bor\\b|/)\\s*");

    private final Function<Profile, String> getter;
    private final BiFunction<Profile, String, Profile> setter;

    ProfileField(Function<Profile, String> getter, BiFunction<Profile, String, Profile> setter) {
        this.getter = getter;
        this.setter = setter;
    }

    /** The field's value as text, or empty when it is not known. */
    public Optional<String> get(Profile profile) {
        return Optional.ofNullable(getter.apply(profile));
    }

    /** Whether the field is known; asked of every field on every chat turn, so it builds no text. */
    public boolean isSet(Profile profile) {
        return this == DATA_TYPES ? profile.dataTypes() != null : getter.apply(profile) != null;
    }

    /** A copy of {@code profile} with this field set ({@code null} clears it). */
    public Profile set(Profile profile, String value) {
        return setter.apply(profile, value);
    }

    /** The longest value the field takes, in characters: the same for a hand edit, the interview and the client's check. */
    public int maxLength() {
        return this == NOTES ? ChatRules.PROFILE_NOTES_MAX : ChatRules.PROFILE_VALUE_MAX;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ProfileField fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public static Optional<ProfileField> find(String wireName) {
        return Arrays.stream(values()).filter(f -> f.wire().equals(wireName)).findFirst();
    }

    private static List<String> splitList(String text) {
        return Arrays.stream(LIST_SEPARATOR.split(text.strip()))
                .map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
