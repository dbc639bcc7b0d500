package dev.labdesk.desktop.upload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The form's parameters box: one {@code key = value} per line. Values that read as numbers or
 * booleans are sent as such ({@code temperature = 37.5}, {@code replicate = 3}, {@code blind = true}).
 */
public record Parameters(Map<String, Object> values, Optional<String> error) {
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+([eE][-+]?\\d+)?");

    public static Parameters parse(String text) {
        var values = new LinkedHashMap<String, Object>();
        if (text == null || text.isBlank()) return new Parameters(values, Optional.empty());
        var lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            var line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) return new Parameters(values, Optional.of("line " + (i + 1) + ": write key = value"));
            var key = line.substring(0, eq).strip();
            var raw = line.substring(eq + 1).strip();
            if (values.containsKey(key)) return new Parameters(values, Optional.of("line " + (i + 1) + ": '" + key + "' is given twice"));
            values.put(key, value(raw));
        }
        return new Parameters(values, Optional.empty());
    }

    private static Object value(String raw) {
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) return Boolean.parseBoolean(raw);
        if (INTEGER.matcher(raw).matches()) return Long.parseLong(raw);
        if (DECIMAL.matcher(raw).matches()) return Double.parseDouble(raw);
        return raw;
    }
}
