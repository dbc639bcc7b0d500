package dev.labdesk.worker.upload;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code name} and {@code filename} of a multipart part's {@code Content-Disposition} header.
 * Browsers (WHATWG) escape {@code "}, CR and LF in names as {@code %22 %0D %0A} and send everything
 * else as raw UTF-8; curl escapes with backslashes; RFC 5987 clients send {@code filename*=UTF-8''…}.
 * All three are understood, and nothing else is decoded, so a name is kept exactly as it was sent.
 */
record ContentDisposition(String name, String filename) {

    static ContentDisposition parse(String header) {
        String name = null;
        String filename = null;
        String extendedFilename = null;
        int i = header.indexOf(';');
        if (i < 0) return new ContentDisposition(null, null);
        while (i < header.length()) {
            i = skip(header, i);
            int eq = header.indexOf('=', i);
            if (eq < 0) break;
            var key = header.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < header.length() && header.charAt(i) == '"') {
                var sb = new StringBuilder();
                i++;
                while (i < header.length() && header.charAt(i) != '"') {
                    char ch = header.charAt(i);
                    if (ch == '\\' && i + 1 < header.length() && (header.charAt(i + 1) == '"' || header.charAt(i + 1) == '\\')) {
                        ch = header.charAt(++i);
                    }
                    sb.append(ch);
                    i++;
                }
                i++; // closing quote
                value = unescapeWhatwg(sb.toString());
            } else {
                int end = header.indexOf(';', i);
                if (end < 0) end = header.length();
                value = header.substring(i, end).strip();
                i = end;
            }
            switch (key) {
                case "name" -> name = value;
                case "filename" -> filename = value;
                case "filename*" -> extendedFilename = decodeExtended(value);
                default -> { }
            }
            int semi = header.indexOf(';', i);
            if (semi < 0) break;
            i = semi + 1;
        }
        return new ContentDisposition(name, extendedFilename != null ? extendedFilename : filename);
    }

    private static int skip(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ';' || s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        return i;
    }

    private static String unescapeWhatwg(String s) {
        if (s.indexOf('%') < 0) return s;
        return s.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
    }

    private static String decodeExtended(String v) {
        // charset'language'percent-encoded; only UTF-8 is worth supporting
        int first = v.indexOf('\'');
        int second = first < 0 ? -1 : v.indexOf('\'', first + 1);
        if (second < 0 || !v.substring(0, first).equalsIgnoreCase("UTF-8")) return null;
        try {
            return URLDecoder.decode(v.substring(second + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
