package dev.labdesk.worker.upload;

import dev.labdesk.worker.Limits;

import java.time.Duration;
import java.util.OptionalLong;

/** {@link Limits#defaults()} with the upload bounds a test wants lowered. */
final class TestLimits {
    private Limits l = Limits.defaults();

    static TestLimits defaults() {
        return new TestLimits();
    }

    TestLimits quota(long bytes) {
        l = l.withQuota(OptionalLong.of(bytes), l.minFreeBytes());
        return this;
    }

    TestLimits minFree(long bytes) {
        l = l.withQuota(l.quotaBytes(), bytes);
        return this;
    }

    TestLimits plans(int maxFiles, long maxBytes, int pendingPerPrincipal) {
        l = new Limits(l.maxAgents(), l.maxQueuedPerPrincipal(), l.quotaBytes(), l.minFreeBytes(), l.maxValidationErrors(),
                maxFiles, maxBytes, pendingPerPrincipal, l.maxUploadsPerPrincipal(), l.uploadIdleTimeout(), l.uploadMinBytesPerSecond(),
                l.chatBytesPerPrincipal(), l.chatBytesTotal(), l.sseSubscribersPerSession(), l.sseSubscribersPerPrincipal());
        return this;
    }

    TestLimits uploadsPerPrincipal(int n) {
        l = new Limits(l.maxAgents(), l.maxQueuedPerPrincipal(), l.quotaBytes(), l.minFreeBytes(), l.maxValidationErrors(),
                l.maxPlanFiles(), l.maxPlanBytes(), l.maxPendingPlansPerPrincipal(), n, l.uploadIdleTimeout(), l.uploadMinBytesPerSecond(),
                l.chatBytesPerPrincipal(), l.chatBytesTotal(), l.sseSubscribersPerSession(), l.sseSubscribersPerPrincipal());
        return this;
    }

    TestLimits pace(Duration idle, long minBytesPerSecond) {
        l = new Limits(l.maxAgents(), l.maxQueuedPerPrincipal(), l.quotaBytes(), l.minFreeBytes(), l.maxValidationErrors(),
                l.maxPlanFiles(), l.maxPlanBytes(), l.maxPendingPlansPerPrincipal(), l.maxUploadsPerPrincipal(), idle, minBytesPerSecond,
                l.chatBytesPerPrincipal(), l.chatBytesTotal(), l.sseSubscribersPerSession(), l.sseSubscribersPerPrincipal());
        return this;
    }

    Limits build() {
        return l;
    }
}
