package dev.labdesk.desktop.log;

/** What waits in the log's inbox for the next drain: a line, or something to do before the line after it shows. */
sealed interface Arrival permits LogLine, Arrival.BeforeShown {
    record BeforeShown(Runnable action) implements Arrival {}
}
