package dev.labdesk.worker.upload;

import dev.labdesk.model.ExperimentContext;

import java.time.Instant;
import java.util.List;

/**
 * Where pending resumable uploads are recorded so that they outlive the worker: each plan as it was
 * made, and each file's confirmed offset once its bytes are on disk. A single worker keeps them in
 * its database ({@link SqlitePendingUploadStore}); workers sharing Redis keep them nowhere
 * ({@link UnrecordedPendingUploads}): there a pending upload lives in the memory of the instance that
 * planned it, beside its staged bytes, and ends with that instance.
 */
public sealed interface PendingUploadStore permits SqlitePendingUploadStore, UnrecordedPendingUploads {

    /** One planned file and how many of its bytes are confirmed. */
    record FileRecord(String fileId, int index, String path, long size, String sha256, long confirmed) {}

    /** One plan, as {@code POST /uploads} made it. */
    record UploadRecord(String uploadId, String sessionId, String owner, ExperimentContext context, Instant createdAt,
                        Instant expiresAt, List<FileRecord> files) {
        public UploadRecord {
            files = List.copyOf(files);
        }
    }

    /** Whether a record outlives the worker: only then is an offset forced to disk before it is confirmed. */
    boolean durable();

    void planned(UploadRecord upload);

    /** {@code offset} bytes of the file are on disk; the upload now expires at {@code expiresAt}. */
    void confirmed(String uploadId, String fileId, long offset, Instant expiresAt);

    /** The upload was completed, abandoned or expired. */
    void forget(String uploadId);

    /** Every recorded upload, its files in plan order. */
    List<UploadRecord> all();
}
