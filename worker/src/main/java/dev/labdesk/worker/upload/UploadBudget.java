package dev.labdesk.worker.upload;

import dev.labdesk.worker.Limits;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.session.SessionStore;
import dev.labdesk.worker.volume.VolumeStore;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What uploads may take, shared by {@code POST /upload} and resumable uploads: upload bodies in
 * flight per principal, each principal's storage quota (stored, plus pending and in-flight
 * uploads, plus this one), and free space on the data dir's file store. An upload holds a
 * {@link Reservation} for the bytes it declared (a Content-Length, a plan's total) or, without a
 * declaration, for the bytes as they arrive.
 */
public final class UploadBudget {
    /** Free space is asked of the file system once per this many bytes written by one upload, not per chunk. */
    static final long SPACE_CHECK_EVERY = 4L << 20;
    static final Duration BODY_RETRY_AFTER = Duration.ofSeconds(2);

    private final Limits limits;
    private final SessionStore sessions;
    private final VolumeStore volumes;
    private final Map<String, Integer> bodies = new ConcurrentHashMap<>();
    /** Declared bytes of each principal's open reservations; guarded by this. */
    private final Map<String, Long> reserved = new HashMap<>();
    /** Bytes declared but not yet written, over all open reservations: space already promised; guarded by this. */
    private long promised;

    public UploadBudget(Limits limits, SessionStore sessions, VolumeStore volumes) {
        this.limits = limits;
        this.sessions = sessions;
        this.volumes = volumes;
    }

    public Limits limits() {
        return limits;
    }

    /** One upload body being received; closing it lets the principal send another. */
    public interface BodyPermit extends AutoCloseable {
        @Override
        void close();
    }

    /** Admits one more upload body of {@code principal}, or refuses with 429 when it has its maximum in flight. */
    public BodyPermit body(String principal) {
        int max = limits.maxUploadsPerPrincipal();
        var admitted = new boolean[1];
        bodies.compute(principal, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) return n;
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0])
            throw new RetryLaterException(principal + " is already sending " + max + " upload bodies (POST /upload or tus PATCH) at once, "
                    + "the most one principal may (LABDESK_UPLOADS_PER_USER): wait for one to finish", BODY_RETRY_AFTER);
        return new BodyPermit() {
            private boolean closed;

            @Override
            public void close() {
                if (closed) return;
                closed = true;
                bodies.computeIfPresent(principal, (k, n) -> n <= 1 ? null : n - 1);
            }
        };
    }

    /**
     * Reserves {@code declared} bytes for an upload of {@code owner}: refused when they would take
     * the owner past its quota or the data dir below its minimum of free space. {@code declared}
     * may be 0 for a body of unknown length, which then reserves its bytes as they arrive.
     */
    public Reservation reserve(String owner, long declared) throws IOException {
        long stored = limits.quotaBytes().isPresent() ? sessions.bytesOwnedBy(owner) : 0;
        long free = volumes.usableSpace();
        synchronized (this) {
            checkQuota(owner, stored, declared);
            checkSpace(free, declared);
            reserved.merge(owner, declared, Long::sum);
            promised += declared;
        }
        return new Reservation(owner, stored, declared);
    }

    /**
     * The reservation of an upload admitted before a restart, of which {@code written} bytes are on disk:
     * held again without the checks, which it passed when it was planned.
     */
    public Reservation restore(String owner, long declared, long written) {
        synchronized (this) {
            reserved.merge(owner, declared, Long::sum);
            promised += declared - written;
        }
        var r = new Reservation(owner, 0, declared);
        r.written = written;
        return r;
    }

    private void checkQuota(String owner, long stored, long more) {
        var quota = limits.quotaBytes();
        if (quota.isEmpty()) return;
        long pending = reserved.getOrDefault(owner, 0L);
        if (stored + pending + more <= quota.getAsLong()) return;
        // 413, not 507: the request is larger than this principal is allowed, which it can fix (delete
        // sessions, send less); 507 is kept for the worker's own disk running out, which it cannot
        throw ProblemException.of(413, "Quota exceeded", owner + "'s quota is " + quota.getAsLong() + " bytes: " + stored
                + " are stored, " + pending + " are reserved by uploads in progress, and this upload needs " + more + " more");
    }

    private void checkSpace(long free, long more) {
        long keep = limits.minFreeBytes();
        if (free - promised - more >= keep) return;
        throw insufficient(more, free, "of which " + promised + " are promised to uploads in progress and " + keep + " are kept free");
    }

    private ProblemException insufficient(long needed, long free, String rest) {
        return ProblemException.of(507, "Insufficient storage", "this upload needs " + needed + " bytes but the worker's data dir has "
                + free + " bytes free, " + rest + " (LABDESK_MIN_FREE_BYTES)");
    }

    /** The bytes one upload holds: released by {@link #close()}, after the session is stored or the upload abandoned. */
    public final class Reservation implements AutoCloseable {
        private final String owner;
        private final long stored;
        private long declared;
        private long written;
        private long unchecked;
        private boolean closed;

        private Reservation(String owner, long stored, long declared) {
            this.owner = owner;
            this.stored = stored;
            this.declared = declared;
        }

        /**
         * {@code n} more bytes arrived and are being written. Past the declared size they are
         * reserved now (a body of unknown length); every few MiB the free space is checked again.
         */
        public void wrote(long n) throws IOException {
            synchronized (UploadBudget.this) {
                if (closed) return;
                long extra = written + n - declared;
                if (extra > 0) {
                    checkQuota(owner, stored, extra);
                    reserved.merge(owner, extra, Long::sum);
                    declared += extra;
                    promised += extra;
                }
                written += n;
                promised -= n;
                unchecked += n;
                if (unchecked < SPACE_CHECK_EVERY) return;
                unchecked = 0;
            }
            long free = volumes.usableSpace();
            if (free < limits.minFreeBytes())
                throw insufficient(n, free, "less than the " + limits.minFreeBytes() + " bytes it keeps free");
        }

        /** {@code n} written bytes were discarded (a file to be sent again): they are promised again. */
        public void rewind(long n) {
            synchronized (UploadBudget.this) {
                if (closed) return;
                long back = Math.min(n, written);
                written -= back;
                promised += back;
            }
        }

        @Override
        public void close() {
            synchronized (UploadBudget.this) {
                if (closed) return;
                closed = true;
                promised -= declared - written;
                reserved.computeIfPresent(owner, (k, v) -> v - declared <= 0 ? null : v - declared);
            }
        }
    }
}
