package dev.labdesk.worker.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code application/x-www-form-urlencoded} fields (the first value of each name). */
final class FormFields {
    private FormFields() {}

    static Map<String, String> parse(byte[] body) {
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    static Map<String, String> parse(String encoded) {
        return parse(encoded, null);
    }

    static Map<String, String> parse(byte[] body, Set<String> only) {
        return parse(new String(body, StandardCharsets.UTF_8), only);
    }

    /**
     * The fields named in {@code only} (all when null). The others are skipped undecoded: an
     * HTTPHandler post carries ~17 fields of which a log event uses 7, and at a thousand posts a
     * second the decoding of the rest was a tenth of the worker's allocation.
     */
    static Map<String, String> parse(String encoded, Set<String> only) {
        var fields = new HashMap<String, String>(only == null ? 32 : only.size() * 2);
        int start = 0;
        while (start <= encoded.length()) {
            int amp = encoded.indexOf('&', start);
            int end = amp < 0 ? encoded.length() : amp;
            if (end > start) {
                int eq = encoded.indexOf('=', start);
                if (eq < 0 || eq > end) eq = end;
                var name = decode(encoded.substring(start, eq));
                if (only == null || only.contains(name)) {
                    var value = eq < end ? decode(encoded.substring(eq + 1, end)) : "";
                    fields.putIfAbsent(name, value);
                }
            }
            start = end + 1;
        }
        return fields;
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s; // nothing to decode: no copy
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a stray '%' is kept as sent rather than failing the whole record
        }
    }
}
