package dev.labdesk.worker.session;

import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.model.FileEntry;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.model.Sha256;
import dev.labdesk.worker.events.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Volumes on disk that no session record knows ({@code {dataDir}/volumes/dataset-volume-{id}}, left by a
 * worker that kept its sessions in memory) become sessions again, so their reports open from the app:
 * owned by {@code local} (the single user such a worker had), {@code succeeded} when the agent's
 * {@code results/report.md} is there, else {@code failed} (its analysis never finished). The context is
 * the one the agent was started with ({@code {dataDir}/agents/{id}/context.json}) when that file is left,
 * else a stand-in that says where the session came from. The manifest lists the uploaded files
 * ({@code results/} is the agent's output), each hashed again.
 */
final class VolumeImport {
    private static final Logger log = LoggerFactory.getLogger(VolumeImport.class);
    static final String OWNER = "local";
    static final String REPORT = "results/report.md";

    private final SessionStore store;
    private final EventLog events;
    private final ObjectMapper mapper;
    private final Clock clock;

    VolumeImport(SessionStore store, EventLog events, ObjectMapper mapper, Clock clock) {
        this.store = store;
        this.events = events;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Imports every unrecorded volume under {@code volumesRoot} but those of {@code pendingUploads}' sessions; returns the sessions made. */
    List<SessionInfo> importAll(Path volumesRoot, Path agentsDir, Set<String> pendingUploads) {
        if (!Files.isDirectory(volumesRoot)) return List.of();
        var made = new ArrayList<SessionInfo>();
        try (var dirs = Files.list(volumesRoot)) {
            for (var dir : dirs.sorted().toList()) {
                var name = dir.getFileName().toString();
                if (!name.startsWith(SessionIds.VOLUME_PREFIX) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) continue;
                var id = name.substring(SessionIds.VOLUME_PREFIX.length());
                if (!SessionIds.valid(id) || pendingUploads.contains(id) || store.get(id).isPresent()) continue;
                try {
                    made.add(importOne(id, dir, agentsDir.resolve(id).resolve("context.json")));
                } catch (IOException | RuntimeException e) {
                    log.warn("could not import the volume {}: {}", name, e.toString());
                }
            }
        } catch (IOException e) {
            log.warn("could not list {}: {}", volumesRoot, e.toString());
        }
        if (!made.isEmpty()) log.info("imported {} session(s) from volumes on disk that had no record", made.size());
        return made;
    }

    private SessionInfo importOne(String id, Path dir, Path contextFile) throws IOException {
        var manifest = manifest(dir);
        var report = dir.resolve(REPORT);
        boolean finished = Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS);
        var created = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).creationTime().toInstant();
        var updated = finished ? Files.getLastModifiedTime(report).toInstant() : created;
        if (updated.isBefore(created)) updated = created;
        var status = finished ? SessionStatus.SUCCEEDED : SessionStatus.FAILED;
        var error = finished ? null : "imported from a volume on disk without a report: its analysis did not finish";
        var session = new SessionInfo(id, SessionIds.volumeName(id), status, context(id, contextFile), manifest.size(),
                manifest.stream().mapToLong(FileEntry::size).sum(), created, updated, error, OWNER);
        store.create(session, manifest);
        events.append(new SessionEvent.Log(id, 0, clock.instant(), "INFO", "labdesk.worker",
                "imported from the volume " + dir.getFileName() + " found on disk without a session record"));
        events.append(new SessionEvent.Status(id, 0, updated, status));
        return session;
    }

    private ExperimentContext context(String id, Path contextFile) {
        if (Files.isRegularFile(contextFile)) {
            try {
                var context = mapper.readValue(contextFile.toFile(), ExperimentContext.class);
                if (context.name() != null && context.description() != null) return context;
            } catch (IOException e) {
                log.warn("the context of volume {} did not parse; using a stand-in: {}", id, e.toString());
            }
        }
        return new ExperimentContext("Imported " + SessionIds.volumeName(id),
                "Found on disk without a session record; the experiment's description was not kept.",
                null, null, null, List.of("imported"), null);
    }

    /** The uploaded files: everything but the agent's {@code results/}, in path order. */
    static List<FileEntry> manifest(Path dir) throws IOException {
        var out = new ArrayList<FileEntry>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (var f : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted(Comparator.naturalOrder()).toList()) {
                var relative = dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
                if (relative.startsWith("results/")) continue;
                out.add(new FileEntry(relative, Files.size(f), sha256(f)));
            }
        }
        return out;
    }

    private static String sha256(Path file) throws IOException {
        var digest = Sha256.newDigest();
        var buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return Sha256.hexOf(digest);
    }
}
