package dev.labdesk.desktop.client;

import dev.labdesk.desktop.TcpProxy;
import dev.labdesk.desktop.TestData;
import dev.labdesk.desktop.upload.DatasetFiles;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Resumable uploads against a real worker, with a real TCP proxy that drops the connection. */
class ResumableUploadTaskTest {
    @TempDir Path tmp;
    Worker worker;
    TcpProxy proxy;
    WorkerClient client;

    static final ExperimentContext CONTEXT = new ExperimentContext("Growth", "OD600 over 60 h", null, null, null, List.of("growth"), Map.of("t", 37));

    @BeforeEach
    void start() throws Exception {
        worker = new Worker(WorkerConfig.local(Files.createDirectories(tmp.resolve("worker")))).start();
        proxy = new TcpProxy(worker.port());
        client = new WorkerClient(WorkerAddress.of(proxy.url()));
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
        worker.close();
    }

    @Test
    void nestedFolderArrivesWithItsPathsAndProgressEndsAtTheTotal() throws Exception {
        var files = DatasetFiles.expand(List.of(TestData.nestedDataset(tmp)));
        var seen = new CopyOnWriteArrayList<Long>();
        var accepted = new ResumableUploadTask(client, CONTEXT, files, (done, total) -> seen.add(done)).run();

        assertThat(accepted.files()).isEqualTo(4);
        long total = files.stream().mapToLong(LocalFile::size).sum();
        assertThat(accepted.bytes()).isEqualTo(total);
        assertThat(seen).isSorted().last().isEqualTo(total);
        var stored = worker.sessions().store().manifest(accepted.sessionId());
        assertThat(stored).extracting(e -> e.path()).containsExactlyInAnyOrder(
                "plates/day1/growth.csv", "plates/day1/raw/od600.csv", "plates/day2/growth.csv", "plates/notes.txt");
    }

    @Test
    void aDroppedConnectionResumesAtTheConfirmedOffsetAndTheFileArrivesIntact() throws Exception {
        var file = tmp.resolve("scan.bin");
        var bytes = new byte[12 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        var cutDone = new AtomicBoolean();
        var retries = new CopyOnWriteArrayList<String>();
        var confirmed = new CopyOnWriteArrayList<Long>();
        var task = new ResumableUploadTask(client, CONTEXT, List.of(new LocalFile(file, "scan.bin", bytes.length)),
                new ResumableUploadTask.Listener() {
                    @Override public void confirmed(long done, long total) {
                        confirmed.add(done);
                        // after the first confirmed chunk, drop the connection in the middle of the next one
                        if (done > 0 && cutDone.compareAndSet(false, true)) {
                            long at = proxy.upstreamBytes();
                            Thread.ofVirtual().start(() -> {
                                while (proxy.upstreamBytes() < at + 1024 * 1024) Thread.onSpinWait();
                                proxy.cut();
                            });
                        }
                    }
                    @Override public void retrying(int attempt, java.time.Duration delay, String why) {
                        retries.add(why);
                    }
                }, 2 * 1024 * 1024);

        var accepted = task.run();

        assertThat(retries).isNotEmpty();
        assertThat(confirmed).isSorted().last().isEqualTo((long) bytes.length);
        var entry = worker.sessions().store().manifest(accepted.sessionId()).getFirst();
        assertThat(entry.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    @Test
    void cancelStopsTheUploadAndTheWorkerKeepsNothing() throws Exception {
        var file = tmp.resolve("big.bin");
        try (var f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(400L * 1024 * 1024);
        }
        var holder = new ResumableUploadTask[1];
        holder[0] = new ResumableUploadTask(client, CONTEXT, List.of(new LocalFile(file, "big.bin", Files.size(file))),
                (done, total) -> { if (done > 0) holder[0].cancel(); }, 1024 * 1024);

        assertThatThrownBy(holder[0]::run).isInstanceOf(UploadCancelledException.class);
        assertThat(worker.sessions().store().list(10)).isEmpty();
        try (var staged = Files.list(tmp.resolve("worker/volumes"))) {
            assertThat(staged.filter(p -> p.getFileName().toString().startsWith("dataset-volume-"))).isEmpty();
        }
    }

    @Test
    void theWorkersFieldErrorsComeBackByField() {
        var bad = new ExperimentContext("", "d", null, null, "not-an-email", List.of(), Map.of());
        var task = new ResumableUploadTask(client, bad, List.of(), (d, t) -> {});
        assertThatThrownBy(task::run).isInstanceOfSatisfying(WorkerException.class, e ->
                assertThat(e.fieldErrors()).extracting(f -> f.field()).contains("name", "contact_email"));
    }

    @Test
    void anUnreachableWorkerIsSaidInWords() throws Exception {
        // port 9 (discard), below the ephemeral range: a stopped proxy's port could be taken again by any socket
        var nobody = URI.create("http://127.0.0.1:9");
        try (var unreachable = new WorkerClient(WorkerAddress.of(nobody))) {
            assertThatThrownBy(unreachable::health).isInstanceOfSatisfying(WorkerException.class, e -> {
                assertThat(e.unreachable()).isTrue();
                assertThat(e.getMessage()).startsWith("The worker at " + nobody + " is unreachable");
            });
        }
    }
}
