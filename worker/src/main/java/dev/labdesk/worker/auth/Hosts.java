package dev.labdesk.worker.auth;

/** Host names and addresses that only reach this machine. */
public final class Hosts {
    private static final String LOCALHOST = "localhost";

    private Hosts() {}

    /**
     * {@code localhost}, {@code *.localhost}, 127.0.0.0/8 (dotted, four parts) and ::1, with or without
     * brackets, in any case. Asked of every request's Host header, so it reads the string in place.
     */
    public static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) return false;
        int from = 0, to = host.length();
        if (to - from >= 2 && host.charAt(0) == '[' && host.charAt(to - 1) == ']') {
            from++;
            to--;
        }
        int length = to - from;
        if (length == LOCALHOST.length() && host.regionMatches(true, from, LOCALHOST, 0, length)) return true;
        if (length > LOCALHOST.length() + 1 && host.charAt(to - LOCALHOST.length() - 1) == '.'
                && host.regionMatches(true, to - LOCALHOST.length(), LOCALHOST, 0, LOCALHOST.length())) return true;
        if (host.startsWith("::1", from) && length == 3) return true;
        if (host.startsWith("0:0:0:0:0:0:0:1", from) && length == 15) return true;
        return isLoopbackV4(host, from, to);
    }

    /** Four dot-separated decimal parts of 1–3 digits, each at most 255, the first exactly {@code 127}. */
    private static boolean isLoopbackV4(String host, int from, int to) {
        if (!host.startsWith("127.", from)) return false;
        int parts = 0, at = from;
        while (at <= to) {
            int value = 0, digits = 0;
            for (; at < to && host.charAt(at) != '.'; at++) {
                char c = host.charAt(at);
                if (c < '0' || c > '9' || ++digits > 3) return false;
                value = value * 10 + (c - '0');
            }
            if (digits == 0 || value > 255) return false;
            parts++;
            at++; // past the dot (or past the end)
        }
        return parts == 4;
    }
}
