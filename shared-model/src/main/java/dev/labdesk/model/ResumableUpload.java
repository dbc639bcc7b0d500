package dev.labdesk.model;

import java.time.Instant;
import java.util.List;

/**
 * Resumable uploads, for datasets too large for one request (Modal ends a request after 150 s)
 * and for connections that drop. The bytes travel over tus 1.0 (so any tus client works);
 * these records frame it:
 * <ol>
 *   <li>{@code POST /uploads} with a {@link Request} — the context and every file's path, size and
 *       SHA-256 are validated before a byte is sent (422 field by field, as for {@code POST /upload});</li>
 *   <li>201 with a {@link Created}: one tus upload URL per file ({@code /tus/{file_id}});</li>
 *   <li>per file, tus {@code HEAD} (current {@code Upload-Offset}) and {@code PATCH} chunks;</li>
 *   <li>{@code POST /uploads/{upload_id}/complete} verifies sizes and SHA-256, commits the volume,
 *       starts the agent and answers 202 {@link UploadAccepted};
 *       {@code DELETE /uploads/{upload_id}} abandons it and removes everything written.</li>
 * </ol>
 * {@code GET /uploads/{upload_id}} answers a {@link Created} with each file's confirmed offset.
 */
public final class ResumableUpload {
    private ResumableUpload() {}

    public record Request(ExperimentContext context, List<PlannedFile> files) {
        public Request {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    /** {@code sha256} is optional but recommended: with it the worker verifies the file end to end. */
    public record PlannedFile(String path, long size, String sha256) {}

    public record Created(String uploadId, String sessionId, Instant expiresAt, List<FileSlot> files) {
        public Created {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    /** One file's tus resource and how many of its bytes the worker has confirmed. */
    public record FileSlot(String fileId, String path, long size, long offset, String url) {}
}
