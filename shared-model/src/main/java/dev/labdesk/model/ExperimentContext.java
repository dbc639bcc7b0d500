package dev.labdesk.model;

import java.util.Collections;
import java.util.LinkedHashMap;

import java.util.List;
import java.util.Map;

/**
 * What the researcher says about the experiment when uploading a dataset.
 * {@code parameters} holds free key/value settings (temperature, strain, instrument…);
 * values are strings, numbers or booleans.
 */
public record ExperimentContext(String name, String description, String goals, String hypothesis,
                                String contactEmail, List<String> tags, Map<String, Object> parameters) {
    public ExperimentContext {
        tags = tags == null ? List.of() : List.copyOf(tags);
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
