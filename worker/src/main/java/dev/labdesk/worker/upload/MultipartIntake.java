package dev.labdesk.worker.upload;

import dev.labdesk.model.ContextField;
import dev.labdesk.model.RelativePaths;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Reads one {@code multipart/form-data} body as it arrives and routes each part: context fields
 * into a bounded buffer, file parts straight into the volume. Nothing is spooled or held whole:
 * the body stays in Jetty's network buffers, a few of which wait for the hasher. After the first
 * error no more bytes are written, but the body is still read (up to a limit) so that every bad
 * field is reported (the first ones listed, all counted) at once. An error about the body itself
 * (not multipart, a part without a name) stops the reading at once: nothing after it can be trusted.
 */
final class MultipartIntake implements MultiPart.Parser.Listener {
    static final int FIELD_MAX_BYTES = 64 * 1024;
    static final int CONTEXT_MAX_BYTES = 256 * 1024;
    static final int PART_HEADERS_MAX = 16 * 1024;
    static final long MAX_FILES = 1_000_000;
    /** How much more of a body is read after an error, to count further errors; bounded so that a bad body is not drained whole. */
    static final long DRAIN_AFTER_ERROR = 64L * 1024 * 1024;

    private enum PartKind { FILE, FIELD, SKIP }

    /** Network buffers (64 KiB each) the hasher may be behind on before the reader waits for it. */
    static final int HELD_CHUNKS = 16;

    private final ContextForm form;
    private final FileWriterSink files;
    private final ParallelHasher hasher;
    private final ErrorList errors;
    private final UploadBudget.Reservation reservation;
    private int status = 422;
    private boolean fatal;
    private IOException ioFailure;
    private boolean complete;
    private Throwable malformed;

    private String contentDisposition;
    private PartKind kind;
    private String fieldName;
    private int fieldLimit;
    private boolean fieldOverflow;
    private final ByteArrayOutputStream field = new ByteArrayOutputStream();
    private int fileIndex = -1;
    private boolean contextChecked;

    /** {@code reservation} is told of every chunk written; it refuses one that takes the upload past its quota or the disk's free space. */
    MultipartIntake(ContextForm form, FileWriterSink files, ParallelHasher hasher, ErrorList errors, UploadBudget.Reservation reservation) {
        this.form = form;
        this.files = files;
        this.hasher = hasher;
        this.errors = errors;
        this.reservation = reservation;
    }

    /** Reads {@code body} to its end, or until an error has been known for long enough. */
    void read(BodyChunks body, String boundary) throws IOException {
        var parser = new MultiPart.Parser(boundary, this);
        parser.setPartHeadersMaxLength(PART_HEADERS_MAX);
        parser.setMaxParts(MAX_FILES + ContextForm.FIELDS.size());
        var held = new ArrayDeque<Held>();
        long drained = 0;
        try {
            while (!complete && malformed == null && !fatal) {
                var chunk = body.next();
                int n = chunk.remaining();
                try {
                    if (writing()) reservation.wrote(n);
                    parser.parse(chunk);
                } finally {
                    hold(held, chunk);
                }
                if (ioFailure != null) throw new VolumeWriteException(ioFailure);
                if (chunk.isLast()) break;
                if (!errors.isEmpty() && (drained += n) > DRAIN_AFTER_ERROR) break;
            }
        } catch (IOException | RuntimeException e) {
            files.abandon(); // a file left open by a cut body or a refused chunk is closed before its staging goes
            throw e;
        } finally {
            releaseAll(held);
        }
        files.abandon();
        if (malformed != null) fail(400, "body", "is not valid multipart/form-data: " + malformed.getMessage());
        else if (!complete && errors.isEmpty()) fail(400, "body", "ended before the closing multipart boundary (was the upload cut off?)");
        if (!errors.isEmpty()) return;
        try {
            files.complete(); // the writer may still be on the last files
        } catch (IOException e) {
            throw new VolumeWriteException(e);
        }
    }

    /** A chunk the hasher may still be reading: given back to Jetty once the hasher has passed {@code hashedBy}. */
    private record Held(Content.Chunk chunk, long hashedBy) {}

    /**
     * Parsed chunks go back to Jetty's pool as soon as nothing reads them any more; at most
     * {@link #HELD_CHUNKS} wait for the hasher, so a hasher that falls behind slows the reader
     * instead of growing the memory.
     */
    private void hold(ArrayDeque<Held> held, Content.Chunk chunk) {
        held.addLast(new Held(chunk, hasher.lastSubmitted()));
        while (!held.isEmpty() && (held.peekFirst().hashedBy <= hasher.hashedUpTo() || held.size() > HELD_CHUNKS)) {
            var oldest = held.removeFirst();
            hasher.awaitDone(oldest.hashedBy);
            oldest.chunk.release();
        }
    }

    private void releaseAll(ArrayDeque<Held> held) {
        if (held.isEmpty()) return;
        hasher.awaitDone(held.peekLast().hashedBy);
        held.forEach(h -> h.chunk.release());
        held.clear();
    }

    ErrorList errors() {
        return errors;
    }

    int status() {
        return status;
    }

    int fileParts() {
        return fileIndex + 1;
    }

    /** Writing to the volume failed (disk full, permissions): the worker's fault, not the client's. */
    static final class VolumeWriteException extends IOException {
        VolumeWriteException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private boolean writing() {
        return errors.isEmpty() && ioFailure == null;
    }

    private void fail(int code, String field, String message) {
        if (code != 422 && errors.isEmpty()) status = code;
        if (field.equals("body")) fatal = true;
        errors.add(field, message);
    }

    @Override
    public void onPartBegin() {
        contentDisposition = null;
    }

    @Override
    public void onPartHeader(String name, String value) {
        if ("content-disposition".equalsIgnoreCase(name)) contentDisposition = value;
    }

    @Override
    public void onPartHeaders() {
        var cd = contentDisposition == null ? new ContentDisposition(null, null) : ContentDisposition.parse(contentDisposition);
        kind = PartKind.SKIP;
        if (cd.name() == null || cd.name().isEmpty()) {
            fail(400, "body", "a part has no name in its Content-Disposition header");
        } else if (cd.name().equals("files")) {
            startFile(cd.filename());
        } else if (ContextForm.known(cd.name())) {
            kind = PartKind.FIELD;
            fieldName = cd.name();
            fieldLimit = fieldName.equals(ContextForm.CONTEXT) ? CONTEXT_MAX_BYTES : FIELD_MAX_BYTES;
            fieldOverflow = false;
            field.reset();
        } else {
            fail(422, cd.name(), "is not a field of this form: files go in 'files', the context in name, description, goals, "
                    + "hypothesis, contact_email, tags, parameters (or one 'context' JSON part)");
        }
    }

    private void startFile(String filename) {
        int index = ++fileIndex;
        if (!contextChecked) {
            contextChecked = true;
            checkContextSoFar();
        }
        if (filename == null) {
            fail(422, "files[" + index + "]", "has no file name: every file part needs filename=\"relative/path\"");
            return;
        }
        // once no more errors can be listed, paths are only counted against the rules: the duplicate
        // check's sets would grow with every further part of a body already refused
        var problem = errors.full() ? RelativePaths.problem(filename) : files.accept(filename);
        if (problem.isPresent()) {
            fail(422, "files[" + index + "]", "'" + printable(filename) + "' " + problem.get());
            return;
        }
        if (!writing()) return;
        try {
            files.open(filename);
            kind = PartKind.FILE;
        } catch (IOException e) {
            ioFailure = e;
        }
    }

    /** Clients that send the context first (the page, the desktop app) get its errors before any byte is written. */
    private void checkContextSoFar() {
        if (!(form.has(ContextField.NAME.wire()) || form.has("experiment_name") || form.has(ContextForm.CONTEXT))
                || !(form.has(ContextField.DESCRIPTION.wire()) || form.has(ContextForm.CONTEXT))) return;
        form.build().errors().forEach(errors::add);
    }

    @Override
    public void onPartContent(Content.Chunk chunk) {
        var bytes = chunk.getByteBuffer();
        switch (kind) {
            case FILE -> {
                if (!writing()) return;
                try {
                    files.write(bytes);
                } catch (IOException e) {
                    ioFailure = e;
                }
            }
            case FIELD -> {
                if (fieldOverflow) return;
                int n = bytes.remaining();
                if (field.size() + n > fieldLimit) {
                    fieldOverflow = true;
                    fail(413, fieldName, "is too large: at most " + (fieldLimit / 1024) + " KiB");
                    return;
                }
                if (bytes.hasArray()) {
                    field.write(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
                } else {
                    var copy = new byte[n];
                    bytes.duplicate().get(copy);
                    field.writeBytes(copy);
                }
            }
            case SKIP -> { }
        }
    }

    @Override
    public void onPartEnd() {
        switch (kind) {
            case FILE -> {
                if (!files.isOpen()) return;
                try {
                    files.finish();
                } catch (IOException e) {
                    ioFailure = e;
                }
            }
            case FIELD -> {
                if (!fieldOverflow) form.put(fieldName, field.toString(StandardCharsets.UTF_8));
            }
            case SKIP -> { }
        }
        kind = PartKind.SKIP;
    }

    @Override
    public void onComplete() {
        complete = true;
    }

    @Override
    public void onFailure(Throwable failure) {
        malformed = failure;
    }

    private static String printable(String s) {
        var sb = new StringBuilder();
        s.codePoints().limit(200).forEach(cp -> {
            if (Character.isISOControl(cp)) sb.append(String.format("\\u%04x", cp));
            else sb.appendCodePoint(cp);
        });
        if (s.codePointCount(0, s.length()) > 200) sb.append('…');
        return sb.toString();
    }
}
