package dev.labdesk.desktop.client;

import java.util.Map;

import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.ResumableUpload;
import dev.labdesk.model.Sha256;
import dev.labdesk.model.UploadAccepted;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One dataset upload over the worker's resumable API: plan ({@code POST /uploads}), tus 1.0
 * {@code PATCH} chunks per file, {@code POST /uploads/{id}/complete}. Progress counts only bytes the
 * worker confirmed ({@code Upload-Offset}); a dropped connection is retried from the offset a tus
 * {@code HEAD} reports, so nothing is sent twice and nothing is skipped. {@link #cancel()} stops the
 * request in flight and abandons the upload on the worker ({@code DELETE /uploads/{id}}).
 * {@link #run()} blocks: call it off the UI thread.
 */
public final class ResumableUploadTask implements WorkerApi.Upload {
    private static final String TUS = "1.0.0";
    private static final MediaType OFFSET_STREAM = MediaType.get("application/offset+octet-stream");
    static final int DEFAULT_CHUNK = 8 * 1024 * 1024;
    private static final int MAX_CONSECUTIVE_FAILURES = 8;

    /** Called from the uploading thread. */
    public interface Listener {
        /** Checking files (SHA-256) before anything is sent. */
        default void hashing(long hashedBytes, long totalBytes) {}

        /** The worker confirmed {@code confirmedBytes} of {@code totalBytes}. */
        void confirmed(long confirmedBytes, long totalBytes);

        /** A chunk failed; the upload goes on from the confirmed offset after {@code delay}. */
        default void retrying(int attempt, Duration delay, String why) {}
    }

    private final WorkerClient client;
    private final ExperimentContext context;
    private final List<LocalFile> files;
    private final Listener listener;
    private final int chunkSize;
    private volatile boolean cancelled;
    private volatile Call inFlight;
    private volatile String uploadId;

    public ResumableUploadTask(WorkerClient client, ExperimentContext context, List<LocalFile> files, Listener listener) {
        this(client, context, files, listener, DEFAULT_CHUNK);
    }

    public ResumableUploadTask(WorkerClient client, ExperimentContext context, List<LocalFile> files, Listener listener, int chunkSize) {
        this.client = client;
        this.context = context;
        this.files = List.copyOf(files);
        this.listener = listener;
        this.chunkSize = chunkSize;
    }

    public UploadAccepted run() throws WorkerException, UploadCancelledException {
        long total = files.stream().mapToLong(LocalFile::size).sum();
        var planned = new ArrayList<ResumableUpload.PlannedFile>();
        long hashed = 0;
        for (var f : files) {
            checkCancelled();
            planned.add(new ResumableUpload.PlannedFile(f.relativePath(), f.size(), sha256(f)));
            hashed += f.size();
            listener.hashing(hashed, total);
        }
        checkCancelled();
        var created = client.call(client.post("/uploads", new ResumableUpload.Request(context, planned)),
                ResumableUpload.Created.class, false);
        uploadId = created.uploadId();
        try {
            long done = created.files().stream().mapToLong(ResumableUpload.FileSlot::offset).sum();
            listener.confirmed(done, total);
            for (var slot : created.files()) {
                var local = files.stream().filter(f -> f.relativePath().equals(slot.path())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("worker planned an unknown file " + slot.path()));
                done = send(slot, local, done, total);
            }
            checkCancelled();
            try (var response = client.execute(track(client.post("/uploads/" + uploadId + "/complete", Map.of()).build()))) {
                return client.mapper().readValue(client.body(response), UploadAccepted.class);
            } catch (WorkerException e) {
                throw e;
            } catch (IOException e) {
                throw WorkerException.unreachable(client.address().baseUrl().toString(), e);
            }
        } catch (WorkerException e) {
            if (cancelled) throw abandon();
            throw e;
        } catch (UploadCancelledException e) {
            throw abandon();
        }
    }

    /** Stops at once; {@link #run()} then throws {@link UploadCancelledException}. Any thread. */
    public void cancel() {
        cancelled = true;
        var call = inFlight;
        if (call != null) call.cancel();
    }

    private UploadCancelledException abandon() {
        var id = uploadId;
        if (id != null) {
            try (var ignored = client.http().newCall(new Request.Builder().url(client.address().resolve("/uploads/" + id).toString())
                    .delete().build()).execute()) {
                // 204, or 404 when it was already gone: either way nothing is left
            } catch (IOException e) {
                // the worker expires abandoned uploads itself
            }
        }
        return new UploadCancelledException();
    }

    /** Sends one file from its confirmed offset; returns the new total of confirmed bytes. */
    private long send(ResumableUpload.FileSlot slot, LocalFile local, long doneBefore, long total)
            throws WorkerException, UploadCancelledException {
        long offset = slot.offset();
        long base = doneBefore - offset;
        int failures = 0;
        try (var channel = FileChannel.open(local.path(), StandardOpenOption.READ)) {
            while (offset < slot.size()) {
                checkCancelled();
                long length = Math.min(chunkSize, slot.size() - offset);
                try {
                    offset = patch(slot, channel, offset, length);
                    failures = 0;
                    listener.confirmed(base + offset, total);
                } catch (IOException e) {
                    checkCancelled();
                    if (e instanceof WorkerException w && !w.unreachable() && !transientRefusal(w)) throw w;
                    if (++failures > MAX_CONSECUTIVE_FAILURES) throw WorkerException.unreachable(client.address().baseUrl().toString(), e);
                    var delay = Backoff.RECONNECT.delay(failures);
                    listener.retrying(failures, delay, e.getMessage());
                    sleep(delay);
                    offset = confirmedOffset(slot, offset);
                    listener.confirmed(base + offset, total);
                }
            }
        } catch (IOException e) {
            if (e instanceof WorkerException w) throw w;
            throw new IllegalStateException("cannot read " + local.path() + ": " + e.getMessage(), e);
        }
        return base + offset;
    }

    /**
     * Refusals that pass: right after a dropped connection the worker may still be finishing the
     * cut request's write (409), or be briefly overloaded (503, 429).
     */
    private static boolean transientRefusal(WorkerException e) {
        int status = e.problemDocument().map(p -> p.status()).orElse(e.status());
        return status == 409 || status == 423 || status == 429 || status == 503;
    }

    private long patch(ResumableUpload.FileSlot slot, FileChannel channel, long offset, long length) throws IOException {
        var body = new RequestBody() {
            @Override public MediaType contentType() { return OFFSET_STREAM; }
            @Override public long contentLength() { return length; }
            @Override public void writeTo(BufferedSink sink) throws IOException {
                var buffer = ByteBuffer.allocate(64 * 1024);
                long position = offset, end = offset + length;
                while (position < end) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                    int n = channel.read(buffer, position);
                    if (n < 0) throw new IOException("file shrank while uploading");
                    buffer.flip();
                    sink.write(buffer);
                    position += n;
                }
            }
        };
        var request = new Request.Builder().url(client.address().resolve(slot.url()).toString())
                .patch(body).header("Tus-Resumable", TUS).header("Upload-Offset", Long.toString(offset)).build();
        try (var response = track(request).execute()) {
            if (response.code() != 204) client.body(response);
            return Long.parseLong(response.header("Upload-Offset", "-1"));
        }
    }

    /** What the worker holds of this file after a failure (tus HEAD); the last known offset if unreachable. */
    private long confirmedOffset(ResumableUpload.FileSlot slot, long lastKnown) {
        var request = new Request.Builder().url(client.address().resolve(slot.url()).toString()).head().header("Tus-Resumable", TUS).build();
        try (var response = track(request).execute()) {
            var offset = response.header("Upload-Offset");
            return response.isSuccessful() && offset != null ? Long.parseLong(offset) : lastKnown;
        } catch (IOException | NumberFormatException e) {
            return lastKnown;
        }
    }

    private Call track(Request request) {
        var call = client.http().newCall(request);
        inFlight = call;
        if (cancelled) call.cancel();
        return call;
    }

    private void checkCancelled() throws UploadCancelledException {
        if (cancelled) throw new UploadCancelledException();
    }

    private void sleep(Duration d) throws UploadCancelledException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadCancelledException();
        }
    }

    private String sha256(LocalFile f) throws UploadCancelledException {
        try (var channel = FileChannel.open(f.path(), StandardOpenOption.READ)) {
            var digest = Sha256.newDigest();
            var buffer = ByteBuffer.allocate(256 * 1024);
            while (channel.read(buffer.clear()) >= 0) {
                checkCancelled();
                digest.update(buffer.flip());
            }
            return Sha256.hexOf(digest);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + f.path() + ": " + e.getMessage(), e);
        }
    }
}
