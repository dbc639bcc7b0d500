package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * What the onboarding agent learned about a researcher. Every field is optional ({@code null}
 * when not known yet); which message each one came from travels beside it as the {@code sources}
 * map of a {@link SourcedProfile}.
 */
public record Profile(String name, String role, String organisation, String researchArea, String goals,
                      String experienceLevel, List<String> dataTypes, String preferredCommunicationStyle,
                      String notes) {

    public static final Profile EMPTY = new Profile(null, null, null, null, null, null, null, null, null);

    public Profile {
        dataTypes = dataTypes == null ? null : List.copyOf(dataTypes);
    }

    @JsonIgnore // not a wire field
    public boolean isEmpty() {
        return equals(EMPTY);
    }
}
