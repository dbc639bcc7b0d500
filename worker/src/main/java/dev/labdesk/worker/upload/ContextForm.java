package dev.labdesk.worker.upload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ContextField;
import dev.labdesk.model.ContextRules;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.FieldError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The experiment context of an upload, from form fields or from one {@code context} JSON part.
 * The original Flask form's {@code experiment_name}, {@code researcher} and {@code data_type}
 * are understood too, so old scripts keep working.
 */
final class ContextForm {
    /** The whole context as one JSON part. */
    static final String CONTEXT = "context";
    static final Set<String> FIELDS = Stream.concat(Arrays.stream(ContextField.values()).map(ContextField::wire),
            Stream.of(CONTEXT, "experiment_name", "researcher", "data_type")).collect(Collectors.toUnmodifiableSet());
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};

    private final ObjectMapper mapper;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final List<FieldError> errors = new ArrayList<>();

    ContextForm(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static boolean known(String field) {
        return FIELDS.contains(field);
    }

    void put(String field, String value) {
        if (fields.putIfAbsent(field, value) != null) errors.add(new FieldError(field, "was sent more than once"));
    }

    private String value(ContextField field) {
        return fields.get(field.wire());
    }

    boolean has(String field) {
        return fields.containsKey(field);
    }

    /** The context with every rule applied; errors name the fields. */
    Result build() {
        var out = new ArrayList<>(errors);
        ExperimentContext context;
        if (fields.containsKey(CONTEXT)) {
            if (fields.size() > 1) {
                out.add(new FieldError(CONTEXT, "send either the context part or the separate fields, not both"));
                return new Result(null, out);
            }
            try {
                context = mapper.readValue(fields.get(CONTEXT), ExperimentContext.class);
            } catch (Exception e) {
                out.add(new FieldError(CONTEXT, "must be a JSON object with name, description, goals, hypothesis, "
                        + "contact_email, tags and parameters"));
                return new Result(null, out);
            }
        } else {
            var name = fields.containsKey(ContextField.NAME.wire()) ? value(ContextField.NAME) : fields.get("experiment_name");
            if (fields.containsKey(ContextField.NAME.wire()) && fields.containsKey("experiment_name"))
                out.add(new FieldError("experiment_name", "send name or experiment_name, not both"));
            var parameters = parameters(out);
            if (fields.containsKey("researcher")) parameters.putIfAbsent("researcher", fields.get("researcher"));
            if (fields.containsKey("data_type")) parameters.putIfAbsent("data_type", fields.get("data_type"));
            context = new ExperimentContext(name, value(ContextField.DESCRIPTION), blankToNull(value(ContextField.GOALS)),
                    blankToNull(value(ContextField.HYPOTHESIS)), blankToNull(value(ContextField.CONTACT_EMAIL)),
                    ContextRules.splitTags(value(ContextField.TAGS)), parameters);
        }
        var ruleErrors = ContextRules.validate(context);
        if (!fields.containsKey(ContextField.NAME.wire()) && fields.containsKey("experiment_name"))
            ruleErrors = ruleErrors.stream().map(e -> e.field().equals(ContextField.NAME.wire()) ? new FieldError("experiment_name", e.message()) : e).toList();
        out.addAll(ruleErrors);
        return new Result(out.isEmpty() ? normalised(context) : null, out);
    }

    private Map<String, Object> parameters(List<FieldError> out) {
        var raw = value(ContextField.PARAMETERS);
        if (raw == null || raw.isBlank()) return new LinkedHashMap<>();
        try {
            var parsed = mapper.readValue(raw, OBJECT);
            if (parsed != null) return parsed;
        } catch (Exception ignored) {
            // reported below
        }
        out.add(new FieldError(ContextField.PARAMETERS.wire(), "must be a JSON object such as {\"temperature_c\": 37, \"strain\": \"wt\"}"));
        return new LinkedHashMap<>();
    }

    static ExperimentContext normalised(ExperimentContext c) {
        return new ExperimentContext(c.name().strip(), c.description().strip(), blankToNull(c.goals()), blankToNull(c.hypothesis()),
                blankToNull(c.contactEmail()), c.tags().stream().map(String::strip).toList(), c.parameters());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    record Result(ExperimentContext context, List<FieldError> errors) {}
}
