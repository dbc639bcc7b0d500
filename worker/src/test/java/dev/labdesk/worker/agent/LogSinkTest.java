package dev.labdesk.worker.agent;

import dev.labdesk.model.Json;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's batching log client against a real worker: order, batching, retry, giving up. */
class LogSinkTest {
    @TempDir Path dataDir;

    @Test
    void manyRecordsArriveInOrderInFewBatches() throws Exception {
        try (var worker = new Worker(WorkerConfig.local(dataDir)).start()) {
            var run = RegisteredRun.in(worker);
            var sink = new LogSink(worker.baseUrl().resolve("/log"), run.token(), Json.newMapper(), Clock.systemUTC(), Duration.ofSeconds(10));
            for (int i = 0; i < 2_500; i++) sink.log("INFO", "test", "record " + i);
            sink.progress("done", 1, 1);
            sink.close(Duration.ofSeconds(20));
            assertThat(sink.failure()).isEmpty();
            var events = run.events().subList(1, 2_502);
            assertThat(events.subList(0, 2_500)).extracting(e -> ((SessionEvent.Log) e).message())
                    .containsExactlyElementsOf(IntStream.range(0, 2_500).mapToObj(i -> "record " + i).toList());
            assertThat(events.getLast()).isInstanceOf(SessionEvent.Progress.class);
        }
    }

    @Test
    void recordsWaitAndAreRetriedUntilTheWorkerIsUp() throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var token = "token-known-before-the-worker-starts";
        var sink = new LogSink(URI.create("http://127.0.0.1:" + port + "/log"), token, Json.newMapper(), Clock.systemUTC(), Duration.ofSeconds(30));
        sink.log("INFO", "test", "said while the worker was down");
        Thread.sleep(500); // the sink meets refused connections meanwhile: that is the point of the test
        try (var worker = new Worker(WorkerConfig.local(dataDir).withPort(port)).start()) {
            var run = RegisteredRun.in(worker, token);
            sink.log("INFO", "test", "said once it was up");
            sink.close(Duration.ofSeconds(20));
            assertThat(sink.failure()).isEmpty();
            assertThat(run.events(SessionEvent.Log.class)).extracting(SessionEvent.Log::message)
                    .containsExactly("said while the worker was down", "said once it was up");
        }
    }

    @Test
    void aBatchWhoseAnswerIsLostIsResentAndLoggedOnce() throws Exception {
        try (var worker = new Worker(WorkerConfig.local(dataDir)).start();
             var lossy = new AnswerLosingProxy(worker.port())) {
            var run = RegisteredRun.in(worker);
            var sink = new LogSink(URI.create("http://127.0.0.1:" + lossy.port() + "/log"), run.token(), Json.newMapper(), Clock.systemUTC(), Duration.ofSeconds(20));
            sink.log("INFO", "test", "appended, but the 202 never came back");
            sink.close(Duration.ofSeconds(20));
            assertThat(sink.failure()).isEmpty();
            assertThat(lossy.connections.get()).as("the first answer was lost, so the sink sent the batch again").isGreaterThanOrEqualTo(2);
            assertThat(run.events(SessionEvent.Log.class)).extracting(SessionEvent.Log::message)
                    .containsExactly("appended, but the 202 never came back");
        }
    }

    /**
     * A TCP proxy that passes requests to the worker and, on its first connection only, swallows the
     * worker's answer and drops the client: what a cut connection after the append looks like.
     */
    private static final class AnswerLosingProxy implements AutoCloseable {
        final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());

        AnswerLosingProxy(int target) throws java.io.IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        var client = server.accept();
                        boolean lose = connections.incrementAndGet() == 1;
                        var upstream = new java.net.Socket("127.0.0.1", target);
                        Thread.ofVirtual().start(() -> pipe(client, upstream, false));
                        Thread.ofVirtual().start(() -> pipe(upstream, client, lose));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
        }

        private static void pipe(java.net.Socket from, java.net.Socket to, boolean lose) {
            try (from; to) {
                var in = from.getInputStream();
                var buffer = new byte[8192];
                int n = in.read(buffer); // the worker's answer: on a losing connection it goes nowhere
                while (n >= 0 && !lose) {
                    to.getOutputStream().write(buffer, 0, n);
                    n = in.read(buffer);
                }
            } catch (java.io.IOException ignored) {
                // one side closed
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }

    @Test
    void aRefusedTokenStopsTheSinkAtOnce() throws Exception {
        try (var worker = new Worker(WorkerConfig.local(dataDir)).start()) {
            var sink = new LogSink(worker.baseUrl().resolve("/log"), "revoked", Json.newMapper(), Clock.systemUTC(), Duration.ofMinutes(5));
            sink.log("INFO", "test", "nobody hears this");
            long t0 = System.nanoTime();
            sink.close(Duration.ofSeconds(20));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(sink.failure()).hasValueSatisfying(f -> assertThat(f).contains("401"));
            sink.log("INFO", "test", "after the failure");
            assertThat(sink.failure()).isPresent();
        }
    }

    @Test
    void anUnreachableWorkerIsGivenUpOnAfterTheDeadline() throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var sink = new LogSink(URI.create("http://127.0.0.1:" + port + "/log"), "t", Json.newMapper(), Clock.systemUTC(), Duration.ofSeconds(1));
        sink.log("INFO", "test", "into the void");
        sink.close(Duration.ofSeconds(20));
        assertThat(sink.failure()).hasValueSatisfying(f -> assertThat(f).contains("kept failing"));
    }
}
