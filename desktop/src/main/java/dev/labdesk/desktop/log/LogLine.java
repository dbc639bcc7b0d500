package dev.labdesk.desktop.log;

import dev.labdesk.model.SessionStatus;

import dev.labdesk.model.SessionEvent;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line of the log pane. Kept small (a million of them must fit): the time as epoch millis,
 * the text already joined with its logger name.
 */
public record LogLine(long seq, long epochMillis, LogLevel level, String text) implements Arrival {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    public String clock() {
        return CLOCK.format(Instant.ofEpochMilli(epochMillis));
    }

    /** As the pane shows it, and as it is copied and saved. */
    public String format(boolean timestamps) {
        var tag = switch (level) {
            case TRACE -> "TRACE";
            case DEBUG -> "DEBUG";
            case INFO -> "INFO ";
            case WARN -> "WARN ";
            case ERROR -> "ERROR";
        };
        return timestamps ? clock() + "  " + tag + "  " + text : tag + "  " + text;
    }

    /** Every kind of session event becomes one readable line. */
    public static LogLine of(SessionEvent event) {
        long t = event.time() == null ? System.currentTimeMillis() : event.time().toEpochMilli();
        return switch (event) {
            case SessionEvent.Log l -> new LogLine(l.seq(), t, LogLevel.parse(l.level()),
                    l.logger() == null || l.logger().isBlank() ? l.message() : l.logger() + ": " + l.message());
            case SessionEvent.Status s -> new LogLine(s.seq(), t, s.status() == SessionStatus.FAILED ? LogLevel.ERROR : LogLevel.INFO,
                    "session " + s.status().wire());
            case SessionEvent.Progress p -> new LogLine(p.seq(), t, LogLevel.INFO,
                    p.step() + (p.total() > 0 ? " " + p.done() + "/" + p.total() : ""));
            case SessionEvent.Result r -> new LogLine(r.seq(), t, LogLevel.INFO,
                    "result: " + (r.summary() == null ? "" : r.summary().headline()));
            case SessionEvent.Error e -> new LogLine(e.seq(), t, LogLevel.ERROR,
                    "error " + e.code() + ": " + e.message() + (e.retryable() ? " (retryable)" : ""));
        };
    }
}
