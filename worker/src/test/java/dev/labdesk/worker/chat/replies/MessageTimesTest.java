package dev.labdesk.worker.chat.replies;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class MessageTimesTest {
    @Test
    void messagesOfOneMillisecondShareOneTimeAndTheNextMillisecondGetsItsOwn() {
        var at = Instant.parse("2026-12-02T07:00:00.123456789Z");
        var times = new MessageTimes(Clock.fixed(at, ZoneOffset.UTC));
        var first = times.now();
        assertThat(first).isEqualTo(Instant.parse("2026-12-02T07:00:00.123Z"));
        assertThat(times.now()).isSameAs(first);

        var later = new MessageTimes(Clock.offset(Clock.fixed(at, ZoneOffset.UTC), java.time.Duration.ofMillis(1)));
        assertThat(later.now()).isEqualTo(Instant.parse("2026-12-02T07:00:00.124Z"));
    }

    @Test
    void onTheSystemClockTimesNeverGoBackwards() {
        var times = new MessageTimes(Clock.systemUTC());
        var previous = times.now();
        for (int i = 0; i < 100_000; i++) {
            var now = times.now();
            assertThat(now).isAfterOrEqualTo(previous);
            previous = now;
        }
        assertThat(previous.getNano() % 1_000_000).isZero();
    }
}
