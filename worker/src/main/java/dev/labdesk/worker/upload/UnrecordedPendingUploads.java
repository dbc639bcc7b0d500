package dev.labdesk.worker.upload;

import java.time.Instant;
import java.util.List;

/**
 * No record at all, for workers that share Redis: a pending upload stays with the instance that
 * planned it (its bytes are staged on that instance's disk) and ends with it, so nothing is forced
 * to disk before an offset is confirmed either.
 */
public final class UnrecordedPendingUploads implements PendingUploadStore {
    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public void planned(UploadRecord upload) {
        // kept in ResumableUploads' memory only
    }

    @Override
    public void confirmed(String uploadId, String fileId, long offset, Instant expiresAt) {
        // kept in ResumableUploads' memory only
    }

    @Override
    public void forget(String uploadId) {
        // nothing was recorded
    }

    @Override
    public List<UploadRecord> all() {
        return List.of();
    }
}
