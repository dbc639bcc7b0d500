package dev.labdesk.worker;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * The bounds that keep one caller, or a flood, from exhausting the worker. Each is reached with a
 * clear 4xx (or a {@code queued} session), never an out-of-memory error or a hung worker.
 *
 * @param maxAgents                 agents running at once ({@code LABDESK_MAX_AGENTS}, default half the cores, ≥ 1); the rest wait {@code queued}
 * @param maxQueuedPerPrincipal     sessions one principal may have waiting or running at once ({@code LABDESK_MAX_QUEUED_PER_USER})
 * @param quotaBytes                stored bytes per principal ({@code LABDESK_QUOTA_BYTES}; empty = unlimited)
 * @param minFreeBytes              free space the data dir keeps after an upload is accepted ({@code LABDESK_MIN_FREE_BYTES})
 * @param maxValidationErrors       errors listed in one problem body (the total is given too)
 * @param maxPlanFiles              files in one resumable upload plan ({@code LABDESK_PLAN_MAX_FILES})
 * @param maxPlanBytes              bytes in one resumable upload plan ({@code LABDESK_PLAN_MAX_BYTES})
 * @param maxPendingPlansPerPrincipal resumable uploads one principal may have pending ({@code LABDESK_PLANS_PER_USER})
 * @param maxUploadsPerPrincipal    {@code POST /upload} bodies and tus PATCHes one principal may send at once ({@code LABDESK_UPLOADS_PER_USER})
 * @param uploadIdleTimeout         an upload request that sends no byte for this long is cut ({@code LABDESK_UPLOAD_IDLE_TIMEOUT})
 * @param uploadMinBytesPerSecond   an upload body slower than this on average (after its first idle timeout's worth of time) is cut
 * @param chatBytesPerPrincipal     conversation bytes one principal keeps ({@code LABDESK_CHAT_BYTES_PER_USER})
 * @param chatBytesTotal            conversation bytes the worker keeps in all ({@code LABDESK_CHAT_BYTES})
 * @param sseSubscribersPerSession  live-log streams open on one session ({@code LABDESK_SSE_PER_SESSION})
 * @param sseSubscribersPerPrincipal live-log streams one principal holds open ({@code LABDESK_SSE_PER_USER})
 */
public record Limits(int maxAgents, int maxQueuedPerPrincipal, OptionalLong quotaBytes, long minFreeBytes,
                     int maxValidationErrors, int maxPlanFiles, long maxPlanBytes, int maxPendingPlansPerPrincipal,
                     int maxUploadsPerPrincipal, Duration uploadIdleTimeout, long uploadMinBytesPerSecond,
                     long chatBytesPerPrincipal, long chatBytesTotal, int sseSubscribersPerSession, int sseSubscribersPerPrincipal) {

    public static int defaultMaxAgents() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public static Limits defaults() {
        return new Limits(defaultMaxAgents(), 20, OptionalLong.empty(), 256L << 20,
                100, 100_000, 1L << 40, 8,
                4, Duration.ofSeconds(60), 1024,
                16L << 20, 512L << 20, 32, 64);
    }

    public Limits withMaxAgents(int n) {
        return new Limits(n, maxQueuedPerPrincipal, quotaBytes, minFreeBytes, maxValidationErrors, maxPlanFiles, maxPlanBytes,
                maxPendingPlansPerPrincipal, maxUploadsPerPrincipal, uploadIdleTimeout, uploadMinBytesPerSecond, chatBytesPerPrincipal,
                chatBytesTotal, sseSubscribersPerSession, sseSubscribersPerPrincipal);
    }

    public Limits withQuota(OptionalLong bytes, long minFree) {
        return new Limits(maxAgents, maxQueuedPerPrincipal, bytes, minFree, maxValidationErrors, maxPlanFiles, maxPlanBytes,
                maxPendingPlansPerPrincipal, maxUploadsPerPrincipal, uploadIdleTimeout, uploadMinBytesPerSecond, chatBytesPerPrincipal,
                chatBytesTotal, sseSubscribersPerSession, sseSubscribersPerPrincipal);
    }

    public Limits withMaxQueuedPerPrincipal(int n) {
        return new Limits(maxAgents, n, quotaBytes, minFreeBytes, maxValidationErrors, maxPlanFiles, maxPlanBytes,
                maxPendingPlansPerPrincipal, maxUploadsPerPrincipal, uploadIdleTimeout, uploadMinBytesPerSecond, chatBytesPerPrincipal,
                chatBytesTotal, sseSubscribersPerSession, sseSubscribersPerPrincipal);
    }

    public Limits withChatBytes(long perPrincipal, long total) {
        return new Limits(maxAgents, maxQueuedPerPrincipal, quotaBytes, minFreeBytes, maxValidationErrors, maxPlanFiles, maxPlanBytes,
                maxPendingPlansPerPrincipal, maxUploadsPerPrincipal, uploadIdleTimeout, uploadMinBytesPerSecond, perPrincipal,
                total, sseSubscribersPerSession, sseSubscribersPerPrincipal);
    }

    public Limits withSseSubscribers(int perSession, int perPrincipal) {
        return new Limits(maxAgents, maxQueuedPerPrincipal, quotaBytes, minFreeBytes, maxValidationErrors, maxPlanFiles, maxPlanBytes,
                maxPendingPlansPerPrincipal, maxUploadsPerPrincipal, uploadIdleTimeout, uploadMinBytesPerSecond, chatBytesPerPrincipal,
                chatBytesTotal, perSession, perPrincipal);
    }
}
