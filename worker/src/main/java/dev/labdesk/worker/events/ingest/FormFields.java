package dev.labdesk.worker.events.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code application/x-www-form-urlencoded} fields (the first value of each name). */
final class FormFields {
    private FormFields() {}

    static String[] parse(String encoded, List<String> names) {
        return parse(encoded.getBytes(StandardCharsets.UTF_8), names);
    }

    /**
     * The values of {@code names}, in that order (null where a name is absent). Read from the bytes as
     * they came: an HTTPHandler post carries ~17 fields of which a log event uses 7, and at a thousand
     * posts a second making a string of the whole body, then of every name, then decoding the rest was
     * a fifth of the worker's allocation; here only the wanted values become strings. Names are
     * matched decoded ({@code m%73g} is {@code msg}).
     */
    static String[] parse(byte[] body, List<String> names) {
        var values = new String[names.size()];
        int start = 0;
        while (start < body.length) {
            int end = indexOf(body, (byte) '&', start, body.length);
            if (end > start) {
                int eq = indexOf(body, (byte) '=', start, end);
                int wanted = which(body, start, eq, names);
                if (wanted >= 0 && values[wanted] == null) values[wanted] = eq < end ? decode(body, eq + 1, end) : "";
            }
            start = end + 1;
        }
        return values;
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return to;
    }

    private static int which(byte[] body, int from, int to, List<String> names) {
        if (needsDecoding(body, from, to)) return names.indexOf(decode(body, from, to));
        for (int n = 0; n < names.size(); n++) if (asciiEquals(body, from, to, names.get(n))) return n;
        return -1;
    }

    private static boolean asciiEquals(byte[] b, int from, int to, String name) {
        if (to - from != name.length()) return false;
        for (int i = 0; i < name.length(); i++) if (b[from + i] != name.charAt(i)) return false;
        return true;
    }

    private static boolean needsDecoding(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == '%' || b[i] == '+') return true;
        return false;
    }

    /** A stray or malformed '%' keeps the whole value as sent rather than failing the record. */
    private static String decode(byte[] b, int from, int to) {
        if (!needsDecoding(b, from, to)) return new String(b, from, to - from, StandardCharsets.UTF_8);
        var out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '+') {
                out[n++] = ' ';
            } else if (c == '%') {
                int hi = i + 2 < to ? Character.digit(b[i + 1], 16) : -1;
                int lo = hi >= 0 ? Character.digit(b[i + 2], 16) : -1;
                if (lo < 0) return new String(b, from, to - from, StandardCharsets.UTF_8);
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
