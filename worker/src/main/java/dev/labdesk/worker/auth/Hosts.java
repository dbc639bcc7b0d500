package dev.labdesk.worker.auth;

import java.util.Locale;

/** Host names and addresses that only reach this machine. */
public final class Hosts {
    private Hosts() {}

    /** {@code localhost}, {@code *.localhost}, 127.0.0.0/8 and ::1, with or without brackets. */
    public static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) return false;
        var h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.equals("localhost") || h.endsWith(".localhost")) return true;
        if (h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) return true;
        var parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (var p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }
}
