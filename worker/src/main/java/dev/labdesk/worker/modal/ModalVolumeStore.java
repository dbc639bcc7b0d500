package dev.labdesk.worker.modal;

import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Set;
import java.nio.channels.WritableByteChannel;

import dev.labdesk.model.Health;
import dev.labdesk.model.SessionIds;
import dev.labdesk.worker.volume.LocalVolumeStore;
import dev.labdesk.worker.volume.VolumeStore;
import dev.labdesk.worker.volume.VolumeUpload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Session volumes as Modal Volumes named {@code dataset-volume-{session_id}}. An upload is staged and
 * committed in this container's local store first (same validation, same all-or-nothing rule); the
 * bridge then creates the Modal volume and uploads the committed tree in one batch, in the background
 * (the upload is answered before that, within Modal's 150 s per request), and the session's Sandbox
 * waits for it ({@link VolumeUploads}); if it fails, the local copy goes too and the session fails.
 * The agent's results are written in its Sandbox, so
 * {@code results/…} files are fetched from the Modal volume, once: the agent writes each of them once,
 * atomically, at the end of its run, so a results file that exists is final and the copy fetched
 * into this container's local volume is served from then on (a bounded set of them is remembered;
 * one forgotten is fetched again). A results file not there yet is asked for again only after
 * {@link #MISS_TTL}, so clients polling for a report while the agent runs do not each start a
 * bridge process. Dataset files are read from the local copy when this container has it and fetched otherwise.
 */
public final class ModalVolumeStore implements VolumeStore {
    private static final Logger log = LoggerFactory.getLogger(ModalVolumeStore.class);
    static final Duration PUT_TIMEOUT = Duration.ofMinutes(30);
    static final Duration GET_TIMEOUT = Duration.ofMinutes(5);
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);
    /** Results files remembered as fetched (each is a path, the bytes are on disk). */
    static final int MAX_FETCHED = 10_000;
    static final Duration MISS_TTL = Duration.ofSeconds(2);

    private final LocalVolumeStore local;
    private final ModalBridge bridge;
    private volatile Health.Dependency checked;
    /** {@code session/path} of results files fetched into the local volume, least recently read first. */
    private final Map<String, Boolean> fetched = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_FETCHED;
        }
    });
    /** {@code session/path} of results files found missing, and when (nanoTime); bounded like {@link #fetched}. */
    private final Map<String, Long> missing = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_FETCHED;
        }
    });
    /** One fetch per file at a time: concurrent readers of a report wait for the same bridge call. */
    private final ConcurrentHashMap<String, Object> fetching = new ConcurrentHashMap<>();

    public ModalVolumeStore(LocalVolumeStore local, ModalBridge bridge) {
        this.local = local;
        this.bridge = bridge;
    }

    @Override
    public String kind() {
        return "modal";
    }

    @Override
    public VolumeUpload begin(String sessionId) throws IOException {
        return toModal(sessionId, local.begin(sessionId));
    }

    @Override
    public VolumeUpload beginResumable(String sessionId) throws IOException {
        return toModal(sessionId, local.beginResumable(sessionId));
    }

    @Override
    public Optional<VolumeUpload> reopen(String sessionId, boolean unpublish) throws IOException {
        var staged = local.reopen(sessionId, unpublish);
        return staged.isPresent() ? Optional.of(toModal(sessionId, staged.get())) : Optional.empty();
    }

    @Override
    public void keepResumable(Set<String> pending) {
        local.keepResumable(pending);
    }

    /** A volume staged locally that its commit also writes to Modal. */
    private VolumeUpload toModal(String sessionId, VolumeUpload staged) {
        return new VolumeUpload() {
            @Override public WritableByteChannel create(String relativePath) throws IOException { return staged.create(relativePath); }
            @Override public FileChannel append(String relativePath) throws IOException { return staged.append(relativePath); }
            @Override public void truncate(String relativePath, long length) throws IOException { staged.truncate(relativePath, length); }
            @Override public long size(String relativePath) throws IOException { return staged.size(relativePath); }
            @Override public InputStream read(String relativePath) throws IOException { return staged.read(relativePath); }
            @Override public void close() { staged.close(); }

            @Override
            public void commit() throws IOException {
                staged.commit();
                var name = SessionIds.volumeName(sessionId);
                // before the 202: a bridge that cannot work here at all fails the upload, keeping nothing
                var bridgeHealth = health();
                if (!bridgeHealth.status().equals("ok")) {
                    deleteTree(local.localPath(sessionId));
                    throw new ModalUnavailableException("the Modal volume " + name + " could not be written: " + bridgeHealth.detail(), null);
                }
                // after it, in the background: the session stays queued until its volume is in Modal
                var upload = new CompletableFuture<Void>();
                bridge.uploads().started(sessionId, upload);
                Thread.ofVirtual().name("modal-put-" + sessionId).start(() -> {
                    try {
                        var result = bridge.call(List.of("put", "--volume", name, "--source", local.localPath(sessionId).toString()), Map.of(), PUT_TIMEOUT);
                        if (result.exitCode() != 0) throw new IOException(result.error());
                        upload.complete(null);
                    } catch (IOException e) {
                        log.error("the Modal volume {} could not be written", name, e);
                        deleteTree(local.localPath(sessionId)); // all or nothing, here as in Modal
                        upload.completeExceptionally(new IOException("the Modal volume " + name + " could not be written: " + e.getMessage(), e));
                    }
                });
            }
        };
    }

    @Override
    public long usableSpace() throws IOException {
        return local.usableSpace(); // uploads are staged and committed locally first
    }

    @Override
    public boolean exists(String sessionId) {
        return local.exists(sessionId);
    }

    @Override
    public Path localPath(String sessionId) {
        return local.localPath(sessionId);
    }

    @Override
    public Optional<Path> file(String sessionId, String relativePath) {
        if (!SessionIds.valid(sessionId) || relativePath == null) return Optional.empty();
        var cached = local.file(sessionId, relativePath);
        if (cached.isPresent() && !relativePath.startsWith("results/")) return cached;
        var probe = local.localPath(sessionId).resolve(relativePath).normalize();
        if (!probe.startsWith(local.localPath(sessionId))) return Optional.empty();
        var key = sessionId + "/" + relativePath;
        if (cached.isPresent() && fetched.containsKey(key)) return cached;
        var lock = fetching.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                var now = local.file(sessionId, relativePath);
                if (now.isPresent() && fetched.containsKey(key)) return now; // another reader fetched it meanwhile
                var missedAt = missing.get(key);
                if (missedAt != null && System.nanoTime() - missedAt < MISS_TTL.toNanos()) return now;
                return fetch(sessionId, relativePath, probe, key, now);
            }
        } finally {
            fetching.remove(key, lock);
        }
    }

    private Optional<Path> fetch(String sessionId, String relativePath, Path probe, String key, Optional<Path> cached) {
        try {
            var result = bridge.call(List.of("get", "--volume", SessionIds.volumeName(sessionId), "--path", relativePath,
                    "--dest", probe.toString()), Map.of(), GET_TIMEOUT);
            if (result.exitCode() != 0) {
                missing.put(key, System.nanoTime());
                return Optional.empty();
            }
            var file = local.file(sessionId, relativePath);
            if (file.isPresent() && relativePath.startsWith("results/")) {
                fetched.put(key, Boolean.TRUE);
                missing.remove(key);
            }
            return file;
        } catch (IOException e) {
            return cached; // Modal unreachable: what this container has is still better than nothing
        }
    }

    /** Asks the bridge once whether the SDK loads here; the answer is kept (a health check must be cheap). */
    @Override
    public Health.Dependency health() {
        var h = checked;
        if (h != null) return h;
        try {
            var result = bridge.call(List.of("check"), Map.of(), CHECK_TIMEOUT);
            h = result.exitCode() == 0
                    ? new Health.Dependency("ok", "modal volumes through the bridge (SDK " + result.last().path("modal").asText() + ")")
                    : new Health.Dependency("down", "modal bridge: " + result.error());
        } catch (IOException e) {
            return new Health.Dependency("down", "modal bridge: " + e.getMessage());
        }
        if (h.status().equals("ok")) checked = h;
        return h;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover local copy is only a cache
        }
    }
}
