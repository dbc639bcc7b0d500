package dev.labdesk.worker;

import dev.labdesk.worker.WorkerConfig.ConfigException;

import java.util.Map;
import java.util.OptionalLong;

/** Reads {@link Limits} from the environment. */
final class ConfigLimits {
    private ConfigLimits() {}

    static Limits read(Map<String, String> values) {
        var d = Limits.defaults();
        return new Limits(
                count(values, "LABDESK_MAX_AGENTS", d.maxAgents()),
                count(values, "LABDESK_MAX_QUEUED_PER_USER", d.maxQueuedPerPrincipal()),
                WorkerConfig.text(values, "LABDESK_QUOTA_BYTES").map(v -> OptionalLong.of(bytes("LABDESK_QUOTA_BYTES", v))).orElse(d.quotaBytes()),
                WorkerConfig.text(values, "LABDESK_MIN_FREE_BYTES").map(v -> bytes("LABDESK_MIN_FREE_BYTES", v)).orElse(d.minFreeBytes()),
                d.maxValidationErrors(),
                count(values, "LABDESK_PLAN_MAX_FILES", d.maxPlanFiles()),
                WorkerConfig.text(values, "LABDESK_PLAN_MAX_BYTES").map(v -> bytes("LABDESK_PLAN_MAX_BYTES", v)).orElse(d.maxPlanBytes()),
                count(values, "LABDESK_PLANS_PER_USER", d.maxPendingPlansPerPrincipal()),
                count(values, "LABDESK_UPLOADS_PER_USER", d.maxUploadsPerPrincipal()),
                WorkerConfig.text(values, "LABDESK_UPLOAD_IDLE_TIMEOUT").map(v -> WorkerConfig.duration("LABDESK_UPLOAD_IDLE_TIMEOUT", v)).orElse(d.uploadIdleTimeout()),
                d.uploadMinBytesPerSecond(),
                WorkerConfig.text(values, "LABDESK_CHAT_BYTES_PER_USER").map(v -> bytes("LABDESK_CHAT_BYTES_PER_USER", v)).orElse(d.chatBytesPerPrincipal()),
                WorkerConfig.text(values, "LABDESK_CHAT_BYTES").map(v -> bytes("LABDESK_CHAT_BYTES", v)).orElse(d.chatBytesTotal()),
                count(values, "LABDESK_SSE_PER_SESSION", d.sseSubscribersPerSession()),
                count(values, "LABDESK_SSE_PER_USER", d.sseSubscribersPerPrincipal()));
    }

    private static int count(Map<String, String> values, String name, int fallback) {
        var v = WorkerConfig.text(values, name);
        if (v.isEmpty()) return fallback;
        try {
            int n = Integer.parseInt(v.get());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(name + " must be a whole number ≥ 1, got '" + v.get() + "'");
    }

    /** A byte count: {@code 1048576}, {@code 512M}, {@code 10G}, {@code 2T} (binary units). */
    static long bytes(String name, String v) {
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*([kKmMgGtT]?)(i?[bB])?").matcher(v.strip());
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                int shift = switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
                    case "K" -> 10; case "M" -> 20; case "G" -> 30; case "T" -> 40; default -> 0;
                };
                if (n > 0 && n <= (Long.MAX_VALUE >> shift)) return n << shift;
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new ConfigException(name + " must be a number of bytes like 1073741824, 512M or 10G, got '" + v + "'");
    }
}
