package dev.labdesk.worker.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** {@code application/x-www-form-urlencoded} fields (the first value of each name). */
final class FormFields {
    private FormFields() {}

    static Map<String, String> parse(byte[] body) {
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    static Map<String, String> parse(String encoded) {
        var fields = new HashMap<String, String>();
        int start = 0;
        while (start <= encoded.length()) {
            int amp = encoded.indexOf('&', start);
            int end = amp < 0 ? encoded.length() : amp;
            if (end > start) {
                int eq = encoded.indexOf('=', start);
                if (eq < 0 || eq > end) eq = end;
                var name = decode(encoded.substring(start, eq));
                var value = eq < end ? decode(encoded.substring(eq + 1, end)) : "";
                fields.putIfAbsent(name, value);
            }
            start = end + 1;
        }
        return fields;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a stray '%' is kept as sent rather than failing the whole record
        }
    }
}
