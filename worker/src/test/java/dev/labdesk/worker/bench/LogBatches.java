package dev.labdesk.worker.bench;

/** What the log benchmarks share: one batched POST /log body, and percentiles of the measured latencies. */
public final class LogBatches {
    private LogBatches() {}

    /** A JSON array of INFO records whose messages are {@code prefix + i} for i in [from, to). */
    public static String json(String prefix, int from, int to) {
        var json = new StringBuilder(64 * (to - from)).append('[');
        for (int i = from; i < to; i++) {
            if (i > from) json.append(',');
            json.append("{\"level\":\"INFO\",\"logger\":\"bench\",\"message\":\"").append(prefix).append(i).append("\"}");
        }
        return json.append(']').toString();
    }

    /** The p-th percentile (nearest rank) of an ascending array; 0 when it is empty. */
    public static double pct(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1))];
    }
}
