package dev.labdesk.worker.upload;

import dev.labdesk.model.ContextRules;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.Problem;
import dev.labdesk.model.ResumableUpload;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
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
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Uploads that span many requests (see {@link ResumableUpload}): planned up front and validated
 * before a byte is sent, written file by file through tus PATCH requests into one staging volume,
 * verified (size and SHA-256) and committed as a whole. Pending uploads live in this worker's
 * memory, so every chunk of one upload must reach the same worker instance. An upload belongs to
 * the principal that planned it: to anyone else (but an admin) it does not exist. A plan reserves
 * its declared bytes in the {@link UploadBudget} until it is completed, abandoned or expired.
 */
public final class ResumableUploads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResumableUploads.class);
    static final Duration EXPIRY = Duration.ofHours(24);
    /** When a principal with its maximum of pending plans may try again: plans end as they are completed or abandoned. */
    static final Duration PLAN_RETRY_AFTER = Duration.ofSeconds(60);
    /** Copies a PATCH body's chunk on its way to the file. */
    static final int COPY_BUFFER = 64 * 1024;
    /** How long a PATCH waits for the one it took a file over from to let go, before 423. */
    static final Duration TAKEOVER_WAIT = Duration.ofSeconds(3);
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    private final VolumeStore volumes;
    private final SessionService sessions;
    private final Clock clock;
    private final Limits limits;
    private final UploadBudget budget;
    private final Map<String, Pending> uploads = new ConcurrentHashMap<>();
    private final Map<String, Integer> plansByOwner = new ConcurrentHashMap<>();
    private final Map<String, PendingFile> files = new ConcurrentHashMap<>();
    private final Thread sweeper;

    public ResumableUploads(VolumeStore volumes, SessionService sessions, Clock clock, Limits limits) {
        this.volumes = volumes;
        this.sessions = sessions;
        this.clock = clock;
        this.limits = limits;
        this.budget = new UploadBudget(limits, sessions.store(), volumes);
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
        final String uploadId = UUID.randomUUID().toString();
        final String sessionId;
        final String owner;
        final ExperimentContext context;
        final VolumeUpload volume;
        final UploadBudget.Reservation reservation;
        final List<PendingFile> files = new ArrayList<>();
        final ReentrantLock lock = new ReentrantLock();
        volatile Instant expiresAt;
        boolean over;

        Pending(String sessionId, String owner, ExperimentContext context, VolumeUpload volume, UploadBudget.Reservation reservation) {
            this.sessionId = sessionId;
            this.owner = owner;
            this.context = context;
            this.volume = volume;
            this.reservation = reservation;
            touch();
        }

        void touch() {
            expiresAt = clock.instant().plus(EXPIRY);
        }
    }

    /** One file of a planned upload; {@code digest} follows the bytes as they are appended. */
    private static final class PendingFile {
        final String fileId = UUID.randomUUID().toString();
        final Pending upload;
        final int index;
        final String path;
        final long size;
        final String expectedSha256;
        final ReentrantLock writing = new ReentrantLock();
        /** The body the PATCH holding {@code writing} reads: a newer PATCH stops it to take the file over. */
        volatile BodyChunks writer;
        /** Created again over bytes it has: a PATCH from 0 (a stock client's) starts it over, one at the offset resumes. */
        volatile boolean recreated;
        MessageDigest digest = Sha256.newDigest();
        volatile long offset;

        PendingFile(Pending upload, int index, ResumableUpload.PlannedFile planned) {
            this.upload = upload;
            this.index = index;
            this.path = planned.path();
            this.size = planned.size();
            this.expectedSha256 = planned.sha256() == null || planned.sha256().isBlank() ? null : planned.sha256().toLowerCase(java.util.Locale.ROOT);
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
            if (f.sha256() != null && !f.sha256().isBlank() && !SHA256.matcher(f.sha256().toLowerCase(java.util.Locale.ROOT)).matches())
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
            volume = volumes.begin(sessionId);
            var pending = new Pending(sessionId, owner, context, volume, reservation);
            // empty files are created at completion: a plan of thousands of them writes nothing until then
            for (int i = 0; i < request.files().size(); i++) pending.files.add(new PendingFile(pending, i, request.files().get(i)));
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
        var slots = p.files.stream().map(f -> new ResumableUpload.FileSlot(f.fileId, f.path, f.size, f.offset, "/tus/" + f.fileId)).toList();
        return new ResumableUpload.Created(p.uploadId, p.sessionId, p.expiresAt, slots);
    }

    /** The tus view of one file: its length and confirmed offset. */
    public record Slot(String fileId, long size, long offset, Instant expiresAt) {}

    public Optional<Slot> slot(String fileId, Principal who) {
        return file(fileId, who).map(f -> new Slot(f.fileId, f.size, f.offset, f.upload.expiresAt));
    }

    /** tus creation: the file slot of {@code uploadId} planned at {@code path}, checked against its length. */
    public Slot find(String uploadId, String path, long length, Principal who) {
        var p = pending(uploadId, who).orElseThrow(() -> ProblemException.notFound("no pending upload " + uploadId));
        var f = p.files.stream().filter(x -> x.path.equals(path)).findFirst()
                .orElseThrow(() -> ProblemException.field("Upload-Metadata", "path '" + path + "' is not part of upload " + uploadId));
        if (f.size != length) throw ProblemException.field("Upload-Length", "is " + length + " but the plan says " + f.size + " for " + path);
        // a stock tus client ignores Upload-Offset on 201 and PATCHes from 0 (tus-js-client 4.x); one that reads it resumes
        if (f.offset > 0) f.recreated = true;
        return new Slot(f.fileId, f.size, f.offset, p.expiresAt);
    }

    /**
     * Appends a PATCH body at {@code offset}. Bytes are confirmed as they are written, so a
     * request cut off mid-body (or too slow, see {@link BodyChunks.Pace}) still moves the offset by
     * what arrived, and the client resumes there.
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
            try (var out = f.upload.volume.append(f.path)) {
                var copy = new byte[COPY_BUFFER];
                while (true) {
                    var chunk = body.next();
                    try {
                        var bytes = chunk.getByteBuffer();
                        int n = bytes.remaining();
                        int keep = (int) Math.min(n, f.size - f.offset);
                        if (keep > 0) {
                            f.upload.reservation.wrote(keep);
                            write(out, bytes.slice(bytes.position(), keep), copy);
                            f.digest.update(bytes.slice(bytes.position(), keep));
                            f.offset += keep;
                        }
                        if (keep < n) throw ProblemException.of(413, "Payload too large", "the body goes past Upload-Length (" + f.size + " bytes)");
                        if (chunk.isLast()) break;
                    } finally {
                        chunk.release();
                    }
                }
            } catch (IOException cut) {
                // a dropped, too slow or taken-over connection: what was written stays, the client asks HEAD and resumes
                log.info("upload {}: {} cut at {} of {} bytes: {}", f.upload.uploadId, f.path, f.offset, f.size, cut.getMessage());
                throw cut;
            }
            return f.offset;
        } finally {
            f.writer = null;
            f.writing.unlock();
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

    private static void write(OutputStream out, ByteBuffer bytes, byte[] copy) throws IOException {
        if (bytes.hasArray()) {
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            return;
        }
        while (bytes.hasRemaining()) {
            int n = Math.min(copy.length, bytes.remaining());
            bytes.get(copy, 0, n);
            out.write(copy, 0, n);
        }
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
                if (f.offset != f.size) errors.add(new FieldError("files[" + f.index + "]", "'" + f.path + "' has " + f.offset + " of " + f.size + " bytes"));
            if (!errors.isEmpty()) throw incomplete(errors);
            var manifest = new ArrayList<FileEntry>();
            for (var f : p.files) {
                var sha = HexFormat.of().formatHex(copy(f.digest).digest());
                if (f.expectedSha256 != null && !f.expectedSha256.equals(sha)) {
                    errors.add(new FieldError("files[" + f.index + "]", "'" + f.path + "' arrived with SHA-256 " + sha
                            + " but " + f.expectedSha256 + " was planned; its bytes were discarded: send it again from offset 0"));
                    restart(f);
                }
                manifest.add(new FileEntry(f.path, f.size, sha));
            }
            if (!errors.isEmpty()) throw incomplete(errors);
            for (var f : p.files) if (f.size == 0) p.volume.append(f.path).close();
            p.volume.commit();
            p.over = true;
            forget(p);
            SessionInfo session;
            try {
                session = sessions.open(p.sessionId, p.owner, p.context, manifest);
            } finally {
                p.reservation.close(); // the bytes count as stored from here on
            }
            long bytes = manifest.stream().mapToLong(FileEntry::size).sum();
            log.info("resumable upload {} complete: {} files, {} bytes in {}", uploadId, manifest.size(), bytes, session.volume());
            return new UploadAccepted(session.sessionId(), session.volume(), "/sessions/" + session.sessionId() + "/events", manifest.size(), bytes);
        } finally {
            locked.forEach(f -> f.writing.unlock());
            p.lock.unlock();
        }
    }

    private static ProblemException incomplete(List<FieldError> errors) {
        return new ProblemException(new Problem("https://labdesk.dev/problems/validation", "Upload incomplete", 409,
                errors.size() == 1 ? errors.getFirst().field() + ": " + errors.getFirst().message()
                        : errors.size() + " files are not complete or not intact", null, errors));
    }

    private static MessageDigest copy(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable in every JDK", e);
        }
    }

    private static void restart(PendingFile f) throws IOException {
        f.upload.reservation.rewind(f.offset);
        f.upload.volume.truncate(f.path);
        f.offset = 0;
        f.digest = Sha256.newDigest();
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
