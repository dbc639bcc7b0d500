package dev.labdesk.desktop.upload;

import dev.labdesk.desktop.client.LocalFile;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.UploadAccepted;

import java.util.Collection;
import java.util.Set;

/**
 * A dataset the form sent and the worker accepted: where it went, and what was sent, so the form can
 * tell whether it still describes that same dataset (then sending it again would only make a duplicate session).
 */
public record UploadedDataset(UploadAccepted accepted, ExperimentContext context, Set<LocalFile> files) {
    public UploadedDataset {
        files = Set.copyOf(files);
    }

    public String sessionId() {
        return accepted.sessionId();
    }

    /** The name it was uploaded under, which the session's log and the session list show. */
    public String name() {
        return context.name();
    }

    /** The same context and the same files (path, upload path and size), in any order. */
    boolean matches(ExperimentContext otherContext, Collection<LocalFile> otherFiles) {
        return context.equals(otherContext) && files.equals(Set.copyOf(otherFiles));
    }
}
