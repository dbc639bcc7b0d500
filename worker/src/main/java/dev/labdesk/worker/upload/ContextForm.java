package dev.labdesk.worker.upload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ContextRules;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.FieldError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The experiment context of an upload, from form fields or from one {@code context} JSON part.
 * The original Flask form's {@code experiment_name}, {@code researcher} and {@code data_type}
 * are understood too, so old scripts keep working.
 */
final class ContextForm {
    static final Set<String> FIELDS = Set.of("name", "description", "goals", "hypothesis", "contact_email", "tags",
            "parameters", "context", "experiment_name", "researcher", "data_type");
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

    boolean has(String field) {
        return fields.containsKey(field);
    }

    /** The context with every rule applied; errors name the fields. */
    Result build() {
        var out = new ArrayList<>(errors);
        ExperimentContext context;
        if (fields.containsKey("context")) {
            if (fields.size() > 1) {
                out.add(new FieldError("context", "send either the context part or the separate fields, not both"));
                return new Result(null, out);
            }
            try {
                context = mapper.readValue(fields.get("context"), ExperimentContext.class);
            } catch (Exception e) {
                out.add(new FieldError("context", "must be a JSON object with name, description, goals, hypothesis, "
                        + "contact_email, tags and parameters"));
                return new Result(null, out);
            }
        } else {
            var name = fields.containsKey("name") ? fields.get("name") : fields.get("experiment_name");
            if (fields.containsKey("name") && fields.containsKey("experiment_name"))
                out.add(new FieldError("experiment_name", "send name or experiment_name, not both"));
            var parameters = parameters(out);
            if (fields.containsKey("researcher")) parameters.putIfAbsent("researcher", fields.get("researcher"));
            if (fields.containsKey("data_type")) parameters.putIfAbsent("data_type", fields.get("data_type"));
            context = new ExperimentContext(name, fields.get("description"), blankToNull(fields.get("goals")),
                    blankToNull(fields.get("hypothesis")), blankToNull(fields.get("contact_email")),
                    ContextRules.splitTags(fields.get("tags")), parameters);
        }
        var ruleErrors = ContextRules.validate(context);
        if (!fields.containsKey("name") && fields.containsKey("experiment_name"))
            ruleErrors = ruleErrors.stream().map(e -> e.field().equals("name") ? new FieldError("experiment_name", e.message()) : e).toList();
        out.addAll(ruleErrors);
        return new Result(out.isEmpty() ? normalised(context) : null, out);
    }

    private Map<String, Object> parameters(List<FieldError> out) {
        var raw = fields.get("parameters");
        if (raw == null || raw.isBlank()) return new LinkedHashMap<>();
        try {
            var parsed = mapper.readValue(raw, OBJECT);
            if (parsed != null) return parsed;
        } catch (Exception ignored) {
            // reported below
        }
        out.add(new FieldError("parameters", "must be a JSON object such as {\"temperature_c\": 37, \"strain\": \"wt\"}"));
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
