package dev.labdesk.desktop.upload;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;

/** Speed over the last few seconds of confirmed bytes, and the time left at that speed. */
final class Throughput {
    private static final long WINDOW_NANOS = Duration.ofSeconds(5).toNanos();
    private record Sample(long nanos, long bytes) {}

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    void record(long nanos, long bytes) {
        samples.addLast(new Sample(nanos, bytes));
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > WINDOW_NANOS) samples.removeFirst();
    }

    /** Bytes per second, once two samples are far enough apart to say. */
    Optional<Double> bytesPerSecond() {
        if (samples.size() < 2) return Optional.empty();
        var first = samples.peekFirst();
        var last = samples.peekLast();
        long dt = last.nanos() - first.nanos();
        if (dt < 50_000_000L) return Optional.empty();
        return Optional.of((last.bytes() - first.bytes()) * 1e9 / dt);
    }

    Optional<Duration> timeLeft(long remaining) {
        return bytesPerSecond().filter(s -> s > 0).map(s -> Duration.ofMillis((long) (remaining / s * 1000)));
    }

    void reset() {
        samples.clear();
    }
}
