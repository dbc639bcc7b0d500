package dev.labdesk.worker.upload;

import dev.labdesk.worker.Limits;
import dev.labdesk.worker.testing.RawMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.labdesk.worker.upload.TwoPrincipalWorker.ADA;
import static dev.labdesk.worker.upload.TwoPrincipalWorker.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body full of errors is answered with the first errors listed and all of them counted, in a
 * small document; an error about the body itself stops the reading at once.
 */
class ValidationErrorBoundsTest {
    @TempDir static Path dataDir;
    private static TwoPrincipalWorker w;

    @BeforeAll
    static void start() throws Exception {
        w = new TwoPrincipalWorker(dataDir, Limits.defaults());
    }

    @AfterAll
    static void stop() {
        w.close();
    }

    @Test
    void twoHundredThousandBadPartsGetTheFirstHundredListedAndTheTotalInASmallBody() throws Exception {
        var response = sendBadParts(200_000);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body().length()).as("problem body size").isLessThan(32 * 1024);
        var problem = json(response);
        assertThat(problem.get("errors")).hasSize(100);
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("files[0]");
        assertThat(problem.get("errors_total").asInt()).isEqualTo(200_000);
        assertThat(problem.get("detail").asText()).contains("200000 errors");
        assertThat(w.staging()).isEmpty();
    }

    @Test
    void threeSuchBodiesAtOnceAreEachAnsweredWhileHealthStaysFast() throws Exception {
        w.healthTime(); // its connection open and its code warm: what is measured is the uploads' effect
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        var results = new ArrayList<Future<HttpResponse<String>>>();
        for (int i = 0; i < 3; i++) results.add(pool.submit((Callable<HttpResponse<String>>) () -> sendBadParts(200_000)));
        var slowest = Duration.ZERO;
        while (results.stream().anyMatch(f -> !f.isDone())) {
            var t = w.healthTime();
            if (t.compareTo(slowest) > 0) slowest = t;
            Thread.sleep(50);
        }
        for (var f : results) {
            assertThat(f.get().statusCode()).isEqualTo(422);
            assertThat(json(f.get()).get("errors_total").asInt()).isEqualTo(200_000);
        }
        assertThat(slowest).as("slowest /health while the bodies were read").isLessThan(Duration.ofSeconds(1));
        pool.close();
    }

    @Test
    void anErrorAboutTheBodyItselfStopsTheReadingAndClosesTheConnection() throws Exception {
        // a part without a name, then a body that never ends
        try (var raw = new RawHttp(w.port(), RawHttp.head("POST /upload HTTP/1.1", "Authorization: Bearer " + ADA,
                "Content-Type: " + RawMultipart.contentType(), "Transfer-Encoding: chunked"))) {
            var sent = new AtomicLong();
            var stop = new AtomicBoolean();
            var writer = Thread.ofVirtual().start(() -> {
                var first = ("--" + RawMultipart.BOUNDARY + "\r\nContent-Disposition: form-data; filename=\"a.csv\"\r\n\r\nx\r\n").getBytes(StandardCharsets.UTF_8);
                var filler = new BadParts(0, false);
                var buffer = new byte[64 * 1024];
                try {
                    chunk(raw, first, first.length);
                    while (!stop.get() && sent.get() < (1L << 30)) {
                        int n = filler.read(buffer, 0, buffer.length);
                        chunk(raw, buffer, n);
                        sent.addAndGet(n);
                    }
                } catch (java.io.IOException closed) {
                    // the worker closed the connection: expected
                }
            });
            var response = raw.response();
            stop.set(true);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.headers().get("connection")).isEqualToIgnoringCase("close");
            assertThat(response.body()).contains("\"field\":\"body\"").contains("no name");
            assertThat(sent.get()).as("bytes sent before the answer").isLessThan(64L << 20);
            writer.join(Duration.ofSeconds(10));
            assertThat(writer.isAlive()).as("the writer saw the connection closed").isFalse();
        }
        assertThat(w.staging()).isEmpty();
        assertThat(w.healthTime()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void anEndlessBodyOfBadPartsIsAnsweredOnceTheWindowAfterTheFirstErrorIsReadAndTheConnectionClosed() throws Exception {
        try (var raw = new RawHttp(w.port(), RawHttp.head("POST /upload HTTP/1.1", "Authorization: Bearer " + ADA,
                "Content-Type: " + RawMultipart.contentType(), "Transfer-Encoding: chunked"))) {
            var sent = new AtomicLong();
            var stop = new AtomicBoolean();
            var writer = Thread.ofVirtual().start(() -> {
                var parts = new BadParts(Integer.MAX_VALUE, false);
                var buffer = new byte[64 * 1024];
                try {
                    while (!stop.get() && sent.get() < (4L << 30)) {
                        int n = parts.read(buffer, 0, buffer.length);
                        chunk(raw, buffer, n);
                        sent.addAndGet(n);
                    }
                } catch (java.io.IOException closed) {
                    // the worker closed the connection: expected
                }
            });
            var response = raw.response();
            stop.set(true);
            writer.join(Duration.ofSeconds(10));
            assertThat(response.status()).isEqualTo(422);
            assertThat(response.headers().get("connection")).isEqualToIgnoringCase("close");
            var problem = TwoPrincipalWorker.JSON.readTree(response.body());
            assertThat(problem.get("errors")).hasSize(100);
            // every part read was counted, and reading stopped a bounded way past the first error
            long window = MultipartIntake.DRAIN_AFTER_ERROR;
            assertThat(problem.get("errors_total").asLong()).isBetween(window / 200, window / 20);
            assertThat(sent.get()).as("bytes sent before the answer").isLessThan(4 * window);
        }
        assertThat(w.staging()).isEmpty();
    }

    private static void chunk(RawHttp raw, byte[] bytes, int n) throws java.io.IOException {
        raw.out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.out.write(bytes, 0, n);
        raw.out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        raw.out.flush();
    }

    private static HttpResponse<String> sendBadParts(int count) throws Exception {
        return w.send(w.request(ADA, "/upload").header("Content-Type", RawMultipart.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new BadParts(count, true))).build());
    }
}
