package dev.labdesk.worker.http;

import dev.labdesk.model.Health;

import java.util.Map;

/**
 * The health report as JSON for the {@link FrontDoor}, written without Jackson, whose start-up the
 * early {@code /health} does not wait for. Same shape as the mapper writes it (snake_case names, no
 * nulls): FrontDoorTest holds the two to be equal.
 */
final class HealthJson {
    private HealthJson() {}

    static String write(Health health) {
        var out = new StringBuilder(256).append('{');
        field(out, "status", health.status());
        if (health.version() != null) field(out.append(','), "version", health.version());
        if (health.dependencies() != null) {
            quote(out.append(','), "dependencies").append(":{");
            boolean first = true;
            for (Map.Entry<String, Health.Dependency> e : health.dependencies().entrySet()) {
                if (!first) out.append(',');
                first = false;
                quote(out, e.getKey()).append(":{");
                var dep = e.getValue();
                field(out, "status", dep.status());
                if (dep.detail() != null) field(out.append(','), "detail", dep.detail());
                out.append('}');
            }
            out.append('}');
        }
        return out.append('}').toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        quote(out, name).append(':');
        if (value == null) out.append("null");
        else quote(out, value);
    }

    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"');
    }
}
