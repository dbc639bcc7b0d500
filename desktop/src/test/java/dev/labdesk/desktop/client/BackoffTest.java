package dev.labdesk.desktop.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void theWaitDoublesFromTheFirstUpToTheMostAndStaysThere() {
        var waits = IntStream.rangeClosed(1, 8).mapToObj(a -> Backoff.RECONNECT.delay(a).toMillis()).toList();
        assertThat(waits).containsExactly(250L, 500L, 1_000L, 2_000L, 4_000L, 5_000L, 5_000L, 5_000L);
    }

    @Test
    void aHugeAttemptCountNeverOverflowsIntoAShortWait() {
        assertThat(Backoff.RECONNECT.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
        assertThat(new Backoff(Duration.ofDays(1_000_000), Duration.ofSeconds(5)).delay(30)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Backoff.RECONNECT.delay(0)).isEqualTo(Duration.ofMillis(250));
    }
}
