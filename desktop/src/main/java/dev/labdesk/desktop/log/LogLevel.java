package dev.labdesk.desktop.log;

import java.util.Locale;

/** Severity of a log line, ordered so a filter can say "this and worse". */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR;

    /** Python's and Java's level names alike: WARNING and SEVERE/CRITICAL/FATAL map here too. */
    public static LogLevel parse(String name) {
        if (name == null) return INFO;
        return switch (name.strip().toUpperCase(Locale.ROOT)) {
            case "TRACE", "FINEST", "FINER" -> TRACE;
            case "DEBUG", "FINE" -> DEBUG;
            case "WARN", "WARNING" -> WARN;
            case "ERROR", "SEVERE", "CRITICAL", "FATAL" -> ERROR;
            default -> INFO;
        };
    }
}
