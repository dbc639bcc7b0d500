package dev.labdesk.worker.upload;

import dev.labdesk.worker.testing.RawMultipart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code POST /upload} over a raw socket whose one file is sent chunked (no Content-Length),
 * 64 KiB at a time, until the worker answers or {@code limit} bytes are sent.
 */
final class StreamingUpload implements AutoCloseable {
    final RawHttp raw;
    final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread writer;

    StreamingUpload(int port, String key, long limit) throws IOException {
        raw = new RawHttp(port, RawHttp.head("POST /upload HTTP/1.1", "Authorization: Bearer " + key,
                "Content-Type: " + RawMultipart.contentType(), "Transfer-Encoding: chunked"));
        writer = Thread.ofPlatform().start(() -> {
            var head = new String(TwoPrincipalWorker.form().buildUnterminated(), StandardCharsets.UTF_8)
                    + "--" + RawMultipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.bin\"\r\n\r\n";
            var zeros = new byte[64 * 1024];
            try {
                chunk(head.getBytes(StandardCharsets.UTF_8), head.length());
                while (!stop.get() && sent.get() < limit) {
                    chunk(zeros, zeros.length);
                    sent.addAndGet(zeros.length);
                }
            } catch (IOException closed) {
                // the worker answered and closed the connection
            }
        });
    }

    private void chunk(byte[] bytes, int n) throws IOException {
        raw.out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.out.write(bytes, 0, n);
        raw.out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        raw.out.flush();
    }

    RawHttp.Response response() throws IOException {
        try {
            return raw.response();
        } finally {
            stop.set(true);
        }
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        raw.close();
        writer.join();
    }
}
