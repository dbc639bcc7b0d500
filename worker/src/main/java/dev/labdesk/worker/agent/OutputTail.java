package dev.labdesk.worker.agent;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/** The last lines a process printed, bounded, so a crash can be explained in one line. */
final class OutputTail {
    private static final int MAX_LINE = 2_000;
    private final int capacity;
    private final ArrayDeque<String> lines;

    OutputTail(int capacity) {
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
    }

    synchronized void add(String line) {
        if (lines.size() == capacity) lines.removeFirst();
        lines.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The newest line that says something: not blank, not the {@code #} framing of a JVM crash report. */
    synchronized String lastMeaningful() {
        for (Iterator<String> it = lines.descendingIterator(); it.hasNext(); ) {
            var line = it.next().strip();
            if (!line.isEmpty() && !line.chars().allMatch(c -> c == '#' || c == ' ')) return line;
        }
        return null;
    }
}
