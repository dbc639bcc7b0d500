package dev.labdesk.worker.chat.replies;

import java.time.Clock;
import java.time.Instant;

/**
 * The times messages are stamped with, to the millisecond: every message stamped within the same
 * millisecond shares one {@link Instant}. Every turn stores two messages for as long as the
 * conversation holds them, and under load dozens of them fall in one millisecond; a time object each
 * would be that much more for the collector to copy, for a precision a chat never shows.
 */
public final class MessageTimes {
    private record Stamp(long millis, Instant instant) {}

    private final Clock clock;
    private volatile Stamp last = new Stamp(Long.MIN_VALUE, Instant.EPOCH);

    public MessageTimes(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        long millis = clock.millis();
        var stamp = last;
        if (stamp.millis() == millis) return stamp.instant();
        var instant = Instant.ofEpochMilli(millis);
        last = new Stamp(millis, instant); // a racing thread may stamp its own: still the same time
        return instant;
    }
}
