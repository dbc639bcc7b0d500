package dev.labdesk.worker.upload;

import java.nio.file.FileAlreadyExistsException;
import java.util.HashSet;
import java.util.Locale;
import java.nio.file.NoSuchFileException;

import dev.labdesk.model.ContextRules;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.Problem;
import dev.labdesk.model.ResumableUpload;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.Sha256;
import dev.labdesk.model.UploadAccepted;
import dev.labdesk.worker.Limits;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.session.SessionService;
import dev.labdesk.worker.volume.VolumeStore;
import dev.labdesk.worker.volume.VolumeUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Uploads that span many requests (see {@link ResumableUpload}): planned up front and validated
 * before a byte is sent, written file by file through tus PATCH requests into one staging volume,
 * verified (size and SHA-256) and committed as a whole. Every chunk of one upload must reach the
 * same worker instance, which stages its bytes. A single worker records each plan and each file's
 * confirmed offset ({@link PendingUploadStore}), so its uploads resume after a restart: an offset is
 * confirmed only once its bytes are forced to disk, and at start a file holding more than its
 * confirmed offset (bytes written but never acknowledged) is cut back to it. An upload belongs to
 * the principal that planned it: to anyone else (but an admin) it does not exist. A plan reserves
 * its declared bytes in the {@link UploadBudget} until it is completed, abandoned or expired.
 */
public final class ResumableUploads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResumableUploads.class);
    static final Duration EXPIRY = Duration.ofHours(24);
    /** When a principal with its maximum of pending plans may try again: plans end as they are completed or abandoned. */
    static final Duration PLAN_RETRY_AFTER = Duration.ofSeconds(60);
    /** Reads a file's bytes back to compute its digest again after a restart. */
    static final int COPY_BUFFER = 64 * 1024;
    /** How long a PATCH waits for the one it took a file over from to let go, before 423. */
    static final Duration TAKEOVER_WAIT = Duration.ofSeconds(3);
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    /** A PATCH forces its bytes to disk and confirms them once this many have arrived since the last time… */
    static final long CONFIRM_EVERY_BYTES = 16L << 20;
    /** …or this long after, whichever comes first: a cut connection or a crash loses at most this much. */
    static final Duration CONFIRM_EVERY = Duration.ofMillis(500);
    /** Where a PATCH's syncs by size run: off the request's thread, one virtual thread each. */
    private static final Executor SYNCS = r -> Thread.ofVirtual().name("tus-sync").start(r);

    private final VolumeStore volumes;
    private final SessionService sessions;
    private final Clock clock;
    private final Limits limits;
    private final UploadBudget budget;
    private final PendingUploadStore store;
    private final Map<String, Pending> uploads = new ConcurrentHashMap<>();
    private final Map<String, Integer> plansByOwner = new ConcurrentHashMap<>();
    private final Map<String, PendingFile> files = new ConcurrentHashMap<>();
    private final Thread sweeper;

    /** Takes back the uploads {@code store} recorded before this worker started (see {@link #reload()}). */
    public ResumableUploads(VolumeStore volumes, SessionService sessions, Clock clock, Limits limits, PendingUploadStore store) {
        this.volumes = volumes;
        this.sessions = sessions;
        this.clock = clock;
        this.limits = limits;
        this.store = store;
        this.budget = new UploadBudget(limits, sessions.store(), volumes);
        reload();
        this.sweeper = Thread.ofVirtual().name("upload-expiry").start(this::sweep);
    }

    /** The sessions a completed upload opens (the routes check a principal's admission with it first). */
    public SessionService sessions() {
        return sessions;
    }

    /** The bounds shared with {@code POST /upload}. */
    public UploadBudget budget() {
        return budget;
    }

    /** One planned upload: its volume in staging and its files. */
    private final class Pending {
        final String uploadId;
        final String sessionId;
        final String owner;
        final ExperimentContext context;
        final Instant createdAt;
        final VolumeUpload volume;
        final UploadBudget.Reservation reservation;
        final List<PendingFile> files = new ArrayList<>();
        final ReentrantLock lock = new ReentrantLock();
        volatile Instant expiresAt;
        boolean over;

        Pending(String sessionId, String owner, ExperimentContext context, VolumeUpload volume, UploadBudget.Reservation reservation) {
            this(UUID.randomUUID().toString(), sessionId, owner, context, clock.instant(), volume, reservation);
            touch();
        }

        Pending(String uploadId, String sessionId, String owner, ExperimentContext context, Instant createdAt, VolumeUpload volume,
                UploadBudget.Reservation reservation) {
            this.uploadId = uploadId;
            this.sessionId = sessionId;
            this.owner = owner;
            this.context = context;
            this.createdAt = createdAt;
            this.volume = volume;
            this.reservation = reservation;
        }

        PendingUploadStore.UploadRecord record() {
            return new PendingUploadStore.UploadRecord(uploadId, sessionId, owner, context, createdAt, expiresAt,
                    files.stream().map(f -> new PendingUploadStore.FileRecord(f.fileId, f.index, f.path, f.size, f.expectedSha256, f.confirmed)).toList());
        }

        void touch() {
            expiresAt = clock.instant().plus(EXPIRY);
        }
    }

    /**
     * One file of a planned upload; {@code digest} follows the bytes as they are appended (null: to be
     * computed again from the bytes on disk, after a restart). {@code offset} is what was written,
     * {@code confirmed} what is on disk and recorded: they differ only while a PATCH holds {@code writing}.
     */
    private static final class PendingFile {
        final String fileId;
        final Pending upload;
        final int index;
        final String path;
        final long size;
        final String expectedSha256;
        final ReentrantLock writing = new ReentrantLock();
        /** The body the PATCH holding {@code writing} reads: a newer PATCH stops it to take the file over. */
        volatile BodyChunks writer;
        /** That PATCH's: a HEAD has it confirm what it wrote so far. */
        volatile Confirmer confirmer;
        /** Created again over bytes it has: a PATCH from 0 (a stock client's) starts it over, one at the offset resumes. */
        volatile boolean recreated;
        MessageDigest digest = Sha256.newDigest();
        volatile long offset;
        volatile long confirmed;

        PendingFile(Pending upload, int index, ResumableUpload.PlannedFile planned) {
            this(UUID.randomUUID().toString(), upload, index, planned.path(), planned.size(),
                    planned.sha256() == null || planned.sha256().isBlank() ? null : planned.sha256().toLowerCase(Locale.ROOT));
        }

        PendingFile(String fileId, Pending upload, int index, String path, long size, String expectedSha256) {
            this.fileId = fileId;
            this.upload = upload;
            this.index = index;
            this.path = path;
            this.size = size;
            this.expectedSha256 = expectedSha256;
        }
    }

    /** Plans an upload for the principal {@code owner}, who alone may send its bytes and complete it. */
    public ResumableUpload.Created plan(String owner, ResumableUpload.Request request) throws IOException {
        var errors = new ErrorList(limits.maxValidationErrors());
        ContextRules.validate(request.context()).forEach(errors::add);
        var paths = new FileWriterSink(null);
        int maxFiles = limits.maxPlanFiles();
        if (request.files().isEmpty()) errors.add("files", "at least one file is required");
        if (request.files().size() > maxFiles)
            errors.add("files", "at most " + maxFiles + " files per upload (LABDESK_PLAN_MAX_FILES), got " + request.files().size());
        long total = 0;
        for (int i = 0; i < request.files().size() && i < maxFiles; i++) {
            var f = request.files().get(i);
            if (f == null) {
                errors.add("files[" + i + "]", "must be an object with path, size and sha256");
                continue;
            }
            var pathProblem = paths.accept(f.path());
            if (pathProblem.isPresent()) errors.add("files[" + i + "].path", "'" + f.path() + "' " + pathProblem.get());
            if (f.size() < 0) errors.add("files[" + i + "].size", "must be ≥ 0");
            else total = total > Long.MAX_VALUE - f.size() ? Long.MAX_VALUE : total + f.size();
            if (f.sha256() != null && !f.sha256().isBlank() && !SHA256.matcher(f.sha256().toLowerCase(Locale.ROOT)).matches())
                errors.add("files[" + i + "].sha256", "must be 64 hexadecimal digits");
        }
        if (total > limits.maxPlanBytes())
            errors.add("files", "add up to " + total + " bytes; one upload holds at most " + limits.maxPlanBytes() + " (LABDESK_PLAN_MAX_BYTES)");
        if (!errors.isEmpty()) throw new ProblemException(errors.problem(422, "Invalid request"));

        var context = ContextForm.normalised(request.context());
        admitPlan(owner);
        UploadBudget.Reservation reservation = null;
        VolumeUpload volume = null;
        try {
            reservation = budget.reserve(owner, total);
            var sessionId = SessionIds.newId();
            volume = volumes.beginResumable(sessionId);
            var pending = new Pending(sessionId, owner, context, volume, reservation);
            // empty files are created at completion: a plan of thousands of them writes nothing until then
            for (int i = 0; i < request.files().size(); i++) pending.files.add(new PendingFile(pending, i, request.files().get(i)));
            store.planned(pending.record());
            uploads.put(pending.uploadId, pending);
            for (var f : pending.files) files.put(f.fileId, f);
            log.info("resumable upload {} planned: {} files, {} bytes for session {}", pending.uploadId, pending.files.size(), total, pending.sessionId);
            return created(pending);
        } catch (IOException | RuntimeException e) {
            if (volume != null) volume.close();
            if (reservation != null) reservation.close();
            releasePlan(owner);
            throw e;
        }
    }

    /** Counts one more pending plan of {@code owner}, or refuses with 429 when it has its maximum. */
    private void admitPlan(String owner) {
        int max = limits.maxPendingPlansPerPrincipal();
        var admitted = new boolean[1];
        plansByOwner.compute(owner, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) return n;
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0])
            throw new RetryLaterException(owner + " has " + max + " resumable uploads pending, the most one principal may (LABDESK_PLANS_PER_USER): "
                    + "complete or abandon (DELETE /uploads/{id}) one first", PLAN_RETRY_AFTER);
    }

    private void releasePlan(String owner) {
        plansByOwner.computeIfPresent(owner, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** The pending upload {@code uploadId} if {@code who} may see it: to anyone else it does not exist. */
    private Optional<Pending> pending(String uploadId, Principal who) {
        var p = uploadId == null ? null : uploads.get(uploadId);
        return p != null && who.mayRead(p.owner) ? Optional.of(p) : Optional.empty();
    }

    private Optional<PendingFile> file(String fileId, Principal who) {
        var f = fileId == null ? null : files.get(fileId);
        return f != null && who.mayRead(f.upload.owner) ? Optional.of(f) : Optional.empty();
    }

    public Optional<ResumableUpload.Created> status(String uploadId, Principal who) {
        return pending(uploadId, who).map(this::created);
    }

    private ResumableUpload.Created created(Pending p) {
        var slots = p.files.stream().map(f -> new ResumableUpload.FileSlot(f.fileId, f.path, f.size, f.confirmed, "/tus/" + f.fileId)).toList();
        return new ResumableUpload.Created(p.uploadId, p.sessionId, p.expiresAt, slots);
    }

    /** The tus view of one file: its length and confirmed offset. */
    public record Slot(String fileId, long size, long offset, Instant expiresAt) {}

    public Optional<Slot> slot(String fileId, Principal who) {
        return file(fileId, who).map(f -> new Slot(f.fileId, f.size, f.confirmed, f.upload.expiresAt));
    }

    /**
     * For tus HEAD: the slot once what a PATCH still writing this file has written is confirmed, so a
     * client that gave up on that PATCH's connection resumes exactly where the worker is.
     */
    public Optional<Slot> slotNow(String fileId, Principal who) {
        var f = file(fileId, who);
        var writing = f.map(x -> x.confirmer).orElse(null);
        if (writing != null) {
            try {
                writing.sync();
            } catch (IOException | RuntimeException e) {
                log.info("upload file {}: HEAD could not confirm the bytes being written: {}", fileId, e.toString());
            }
        }
        return f.map(x -> new Slot(x.fileId, x.size, x.confirmed, x.upload.expiresAt));
    }

    /** tus creation: the file slot of {@code uploadId} planned at {@code path}, checked against its length. */
    public Slot find(String uploadId, String path, long length, Principal who) {
        var p = pending(uploadId, who).orElseThrow(() -> ProblemException.notFound("no pending upload " + uploadId));
        var f = p.files.stream().filter(x -> x.path.equals(path)).findFirst()
                .orElseThrow(() -> ProblemException.field("Upload-Metadata", "path '" + path + "' is not part of upload " + uploadId));
        if (f.size != length) throw ProblemException.field("Upload-Length", "is " + length + " but the plan says " + f.size + " for " + path);
        // a stock tus client ignores Upload-Offset on 201 and PATCHes from 0 (tus-js-client 4.x); one that reads it resumes
        if (f.confirmed > 0) f.recreated = true;
        return new Slot(f.fileId, f.size, f.confirmed, p.expiresAt);
    }

    /**
     * Appends a PATCH body at {@code offset} and returns the confirmed offset. Bytes are confirmed as
     * they are forced to disk, every {@link #CONFIRM_EVERY_BYTES} or {@link #CONFIRM_EVERY} and at the
     * body's end, so a request cut off mid-body (or too slow, see {@link BodyChunks.Pace}) still moves
     * the offset by what arrived, and the client resumes there, on this worker or the next one.
     */
    public long append(String fileId, long offset, BodyChunks body, Principal who) throws IOException {
        var f = file(fileId, who).orElseThrow(() -> ProblemException.notFound("no pending file " + fileId));
        takeOver(f, body);
        try {
            if (f.upload.over) throw ProblemException.notFound("upload " + f.upload.uploadId + " is over");
            if (offset == 0 && f.offset > 0 && f.recreated) {
                log.info("upload {}: {} created again and sent from 0: its {} bytes start over", f.upload.uploadId, f.path, f.offset);
                restart(f);
            }
            if (offset != f.offset) throw ProblemException.of(409, "Conflict", "Upload-Offset is " + offset + " but the worker has " + f.offset + " bytes of this file");
            f.recreated = false;
            f.upload.touch();
            if (f.upload.volume.size(f.path) != f.offset) reconcile(f); // a failed sync left bytes past the confirmed offset
            digest(f);
            try (var out = f.upload.volume.append(f.path)) {
                var confirmer = new Confirmer(f, out);
                f.confirmer = confirmer;
                try {
                    receive(f, body, out, confirmer);
                } finally {
                    confirmer.finish();
                }
            } catch (IOException cut) {
                // a dropped, too slow or taken-over connection: what was written stays, the client asks HEAD and resumes
                log.info("upload {}: {} cut at {} of {} bytes: {}", f.upload.uploadId, f.path, f.confirmed, f.size, cut.getMessage());
                throw cut;
            }
            return f.confirmed;
        } finally {
            f.writer = null;
            f.writing.unlock();
        }
    }

    private static void receive(PendingFile f, BodyChunks body, FileChannel out, Confirmer confirmer) throws IOException {
        while (true) {
            var chunk = body.next();
            try {
                var bytes = chunk.getByteBuffer();
                int n = bytes.remaining();
                int keep = (int) Math.min(n, f.size - f.offset);
                if (keep > 0) {
                    f.upload.reservation.wrote(keep);
                    var kept = bytes.slice(bytes.position(), keep);
                    while (kept.hasRemaining()) out.write(kept);
                    f.digest.update(bytes.slice(bytes.position(), keep));
                    f.offset += keep;
                    confirmer.maybe();
                }
                if (keep < n) throw ProblemException.of(413, "Payload too large", "the body goes past Upload-Length (" + f.size + " bytes)");
                if (chunk.isLast()) break;
            } finally {
                chunk.release();
            }
        }
    }

    /**
     * Forces one PATCH's bytes to disk and records their offset as confirmed, off the request's thread
     * while the body goes on arriving: every {@link #CONFIRM_EVERY_BYTES}, every {@link #CONFIRM_EVERY}
     * (a stalled body's bytes too), when a HEAD asks, and for the rest once the body ends. Without a
     * durable store an offset is confirmed as soon as it is written, as nothing outlives the worker anyway.
     */
    private final class Confirmer {
        private final PendingFile f;
        private final FileChannel out;
        private final ReentrantLock syncing = new ReentrantLock();
        private final Thread ticker;
        private CompletableFuture<Void> bySize = CompletableFuture.completedFuture(null);
        private volatile Exception failed;
        private volatile boolean over;

        Confirmer(PendingFile f, FileChannel out) {
            this.f = f;
            this.out = out;
            this.ticker = store.durable() ? Thread.ofVirtual().name("tus-sync-" + f.fileId).start(this::tick) : null;
        }

        /** After each chunk written, on the PATCH's thread. */
        void maybe() throws IOException {
            if (!store.durable()) {
                f.confirmed = f.offset;
                return;
            }
            if (failed != null) throw new IOException("the bytes could not be made durable: " + failed.getMessage(), failed);
            if (f.offset - f.confirmed >= CONFIRM_EVERY_BYTES && bySize.isDone()) bySize = CompletableFuture.runAsync(this::syncQuietly, SYNCS);
        }

        private void tick() {
            // parked, never interrupted: an interrupt that lands inside force() closes the file's channel
            long deadline = System.nanoTime() + CONFIRM_EVERY.toNanos();
            while (!over) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    LockSupport.parkNanos(this, left);
                    continue;
                }
                syncQuietly();
                deadline = System.nanoTime() + CONFIRM_EVERY.toNanos();
            }
        }

        private void syncQuietly() {
            try {
                sync();
            } catch (IOException | RuntimeException e) {
                failed = e;
            }
        }

        /** Forces what is written so far and records it; returns the confirmed offset. */
        long sync() throws IOException {
            syncing.lock();
            try {
                long upTo = f.offset; // every byte before it is in the channel: the offset moves after its write
                if (upTo <= f.confirmed || !out.isOpen()) return f.confirmed;
                out.force(false);
                store.confirmed(f.upload.uploadId, f.fileId, upTo, f.upload.expiresAt);
                f.confirmed = upTo;
                return upTo;
            } finally {
                syncing.unlock();
            }
        }

        /** Confirms what the PATCH wrote; on a failure, cuts the file back to its last confirmed offset and says so. */
        void finish() {
            over = true;
            if (ticker != null) LockSupport.unpark(ticker);
            f.confirmer = null;
            syncing.lock();
            try {
                bySize.join(); // its failure, if any, is in failed
                if (!store.durable()) f.confirmed = f.offset;
                else if (failed == null) sync();
                if (failed != null) throw failed;
            } catch (Exception e) {
                log.warn("upload {}: {} could not be made durable past {} bytes: {}", f.upload.uploadId, f.path, f.confirmed, e.toString());
                try {
                    out.truncate(f.confirmed);
                } catch (IOException ignored) {
                    // the next PATCH finds the file longer than its offset and cuts it (reconcile)
                }
                f.upload.reservation.rewind(f.offset - f.confirmed);
                f.offset = f.confirmed;
                f.digest = null;
                throw ProblemException.of(503, "Service unavailable", "the worker could not make the bytes durable (" + e.getMessage()
                        + "); it keeps " + f.confirmed + " bytes of this file: ask HEAD for the offset and resume");
            } finally {
                syncing.unlock();
            }
        }
    }

    /**
     * Takes {@code f}'s write lock for {@code body}. A PATCH still holding it
     * (a stalled connection the client has given up on) is told to stop, as tusd does; if it does not
     * let go in time, 423 with Retry-After.
     */
    private static void takeOver(PendingFile f, BodyChunks body) {
        try {
            if (!f.writing.tryLock()) {
                var old = f.writer;
                if (old != null) old.stop();
                if (!f.writing.tryLock(TAKEOVER_WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    throw new ProblemException(Problem.of(423, "Locked", "another request is writing this file and has not let go yet; "
                            + "ask HEAD for the offset and retry"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.of(503, "Service unavailable", "the worker is stopping");
        }
        f.writer = body;
    }

    /** Verifies every file, commits the volume and opens the session. */
    public UploadAccepted complete(String uploadId, Principal who) throws IOException {
        var p = pending(uploadId, who).orElseThrow(() -> ProblemException.notFound("no pending upload " + uploadId));
        p.lock.lock();
        var locked = new ArrayList<PendingFile>();
        try {
            if (p.over) throw ProblemException.notFound("upload " + uploadId + " is over");
            var errors = new ArrayList<FieldError>();
            for (var f : p.files) {
                if (!f.writing.tryLock()) errors.add(new FieldError("files[" + f.index + "]", "'" + f.path + "' is still being written"));
                else locked.add(f);
            }
            for (var f : locked)
                if (f.confirmed != f.size) errors.add(new FieldError("files[" + f.index + "]", "'" + f.path + "' has " + f.confirmed + " of " + f.size + " bytes"));
            if (!errors.isEmpty()) throw incomplete(errors);
            var manifest = new ArrayList<FileEntry>();
            for (var f : p.files) {
                var sha = Sha256.hexOf(copy(digest(f)));
                if (f.expectedSha256 != null && !f.expectedSha256.equals(sha)) {
                    errors.add(new FieldError("files[" + f.index + "]", "'" + f.path + "' arrived with SHA-256 " + sha
                            + " but " + f.expectedSha256 + " was planned; its bytes were discarded: send it again from offset 0"));
                    restart(f);
                }
                manifest.add(new FileEntry(f.path, f.size, sha));
            }
            if (!errors.isEmpty()) throw incomplete(errors);
            for (var f : p.files) if (f.size == 0) createEmpty(p.volume, f.path);
            p.volume.commit();
            p.over = true;
            forget(p);
            SessionInfo session;
            try {
                session = sessions.open(p.sessionId, p.owner, p.context, manifest);
            } finally {
                p.reservation.close(); // the bytes count as stored from here on
                unrecord(p); // after the session's record: a crash before it finds the plan and the volume, and takes them back
            }
            long bytes = manifest.stream().mapToLong(FileEntry::size).sum();
            log.info("resumable upload {} complete: {} files, {} bytes in {}", uploadId, manifest.size(), bytes, session.volume());
            return new UploadAccepted(session.sessionId(), session.volume(), "/sessions/" + session.sessionId() + "/events", manifest.size(), bytes);
        } finally {
            locked.forEach(f -> f.writing.unlock());
            p.lock.unlock();
        }
    }

    /** An empty file at completion: not forced to disk one by one, as the commit that follows publishes them all. */
    private static void createEmpty(VolumeUpload volume, String path) throws IOException {
        try {
            volume.create(path).close();
        } catch (FileAlreadyExistsException sentEmpty) {
            // an empty PATCH made it already
        }
    }

    private static ProblemException incomplete(List<FieldError> errors) {
        return new ProblemException(Problem.validation(409, "Upload incomplete", errors,
                errors.size() + " files are not complete or not intact"));
    }

    private static MessageDigest copy(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable in every JDK", e);
        }
    }

    private void restart(PendingFile f) throws IOException {
        f.upload.reservation.rewind(f.offset);
        f.upload.volume.truncate(f.path, 0);
        f.offset = 0;
        f.confirmed = 0;
        f.digest = Sha256.newDigest();
        store.confirmed(f.upload.uploadId, f.fileId, 0, f.upload.expiresAt);
    }

    /**
     * The rule for a file whose bytes on disk and confirmed offset disagree (a crash or a failed sync):
     * bytes past the confirmed offset were never acknowledged and are cut; a file shorter than it
     * (which a forced write should never leave) lowers the offset to what is there.
     */
    private void reconcile(PendingFile f) throws IOException {
        long onDisk = f.upload.volume.size(f.path);
        if (onDisk > f.confirmed) {
            log.info("upload {}: {} holds {} bytes of which {} were confirmed: cut back to them", f.upload.uploadId, f.path, onDisk, f.confirmed);
            f.upload.volume.truncate(f.path, f.confirmed);
        } else if (onDisk < f.confirmed) {
            log.warn("upload {}: {} holds {} bytes but {} were confirmed: the offset goes back to {}", f.upload.uploadId, f.path, onDisk, f.confirmed, onDisk);
            f.upload.reservation.rewind(f.confirmed - onDisk);
            f.confirmed = onDisk;
            store.confirmed(f.upload.uploadId, f.fileId, onDisk, f.upload.expiresAt);
        }
        if (f.offset != f.confirmed || onDisk != f.confirmed) f.digest = null;
        f.offset = f.confirmed;
    }

    /** The file's digest over its bytes so far, computed again from the disk when it was lost (a restart). */
    private static MessageDigest digest(PendingFile f) throws IOException {
        if (f.digest != null) return f.digest;
        var d = Sha256.newDigest();
        try (var in = f.upload.volume.read(f.path)) {
            var buffer = new byte[COPY_BUFFER];
            long left = f.offset;
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; left -= n) d.update(buffer, 0, n);
            if (left > 0) throw new IOException(f.path + " is shorter than its " + f.offset + " confirmed bytes");
        } catch (NoSuchFileException e) {
            if (f.offset > 0) throw e;
        }
        f.digest = d;
        return d;
    }

    /** Abandons an upload of {@code who}'s and removes everything it wrote. */
    public boolean abort(String uploadId, Principal who) {
        return pending(uploadId, who).map(this::abort).orElse(false);
    }

    private boolean abort(Pending p) {
        p.lock.lock();
        try {
            if (p.over) return false;
            p.over = true;
            forget(p);
            p.volume.close();
            p.reservation.close();
            unrecord(p);
            return true;
        } finally {
            p.lock.unlock();
        }
    }

    private void forget(Pending p) {
        uploads.remove(p.uploadId);
        p.files.forEach(f -> files.remove(f.fileId));
        releasePlan(p.owner);
    }

    private void unrecord(Pending p) {
        try {
            store.forget(p.uploadId);
        } catch (RuntimeException e) {
            // the next start finds the record without its staged files (or with its session) and drops it
            log.warn("upload {} is over but its record stays until the next start: {}", p.uploadId, e.toString());
        }
    }

    /**
     * Takes back the uploads recorded before this worker started: each with its staged files, every file
     * cut back to its confirmed offset ({@link #reconcile}); its digest is computed again at its next
     * PATCH or completion. Expired ones, ones completed just before a crash and ones whose files are
     * gone are dropped; staged files that no record knows are removed.
     */
    private void reload() {
        var kept = new HashSet<String>();
        var now = clock.instant();
        for (var r : store.all()) {
            try {
                if (r.expiresAt().isBefore(now)) {
                    log.info("resumable upload {} expired while the worker was down and was removed", r.uploadId());
                    store.forget(r.uploadId());
                    continue;
                }
                if (sessions.store().get(r.sessionId()).isPresent()) { // completed, and the worker stopped before it dropped the record
                    store.forget(r.uploadId());
                    continue;
                }
                var volume = volumes.reopen(r.sessionId(), true);
                if (volume.isEmpty()) {
                    log.warn("resumable upload {}: its staged files are gone; it was removed", r.uploadId());
                    store.forget(r.uploadId());
                    continue;
                }
                long total = r.files().stream().mapToLong(PendingUploadStore.FileRecord::size).sum();
                long confirmed = r.files().stream().mapToLong(PendingUploadStore.FileRecord::confirmed).sum();
                var p = new Pending(r.uploadId(), r.sessionId(), r.owner(), r.context(), r.createdAt(), volume.get(),
                        budget.restore(r.owner(), total, confirmed));
                p.expiresAt = r.expiresAt();
                for (var fr : r.files()) {
                    var f = new PendingFile(fr.fileId(), p, fr.index(), fr.path(), fr.size(), fr.sha256());
                    f.confirmed = fr.confirmed();
                    f.offset = fr.confirmed();
                    f.digest = null;
                    if (f.confirmed > 0 || volume.get().size(f.path) > 0) reconcile(f);
                    p.files.add(f);
                }
                uploads.put(p.uploadId, p);
                p.files.forEach(f -> files.put(f.fileId, f));
                plansByOwner.merge(p.owner, 1, Integer::sum);
                kept.add(p.sessionId);
                log.info("resumable upload {} taken back: {} of {} bytes confirmed", p.uploadId, p.files.stream().mapToLong(f -> f.confirmed).sum(), total);
            } catch (IOException | RuntimeException e) {
                log.warn("resumable upload {} could not be taken back and was removed: {}", r.uploadId(), e.toString());
                var dropped = uploads.remove(r.uploadId());
                if (dropped != null) dropped.files.forEach(f -> files.remove(f.fileId));
                try {
                    store.forget(r.uploadId());
                } catch (RuntimeException ignored) {
                    // tried again at the next start
                }
            }
        }
        volumes.keepResumable(kept);
    }

    private void sweep() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                return;
            }
            var now = clock.instant();
            for (var p : uploads.values()) {
                if (p.expiresAt.isBefore(now) && abort(p)) log.info("resumable upload {} expired and was removed", p.uploadId);
            }
        }
    }

    @Override
    public void close() {
        sweeper.interrupt();
    }

}
