package dev.labdesk.worker.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A multipart/form-data body written byte by byte, so tests can send what well-behaved client
 * libraries refuse to produce (NUL in a file name, a part without a name, a cut-off body).
 */
public final class RawMultipart {
    public static final String BOUNDARY = "labdesk-test-boundary-7f3a";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public RawMultipart field(String name, String value) {
        return part("form-data; name=\"" + name + "\"", value.getBytes(StandardCharsets.UTF_8));
    }

    /** A file part; {@code filename} goes into the header exactly as given (quotes escaped the browser way). */
    public RawMultipart file(String filename, byte[] content) {
        return part("form-data; name=\"files\"; filename=\"" + filename.replace("\"", "%22") + "\"", content);
    }

    public RawMultipart file(String filename, String content) {
        return file(filename, content.getBytes(StandardCharsets.UTF_8));
    }

    public RawMultipart part(String contentDisposition, byte[] content) {
        write("--" + BOUNDARY + "\r\nContent-Disposition: " + contentDisposition + "\r\nContent-Type: application/octet-stream\r\n\r\n");
        out.writeBytes(content);
        write("\r\n");
        return this;
    }

    public byte[] build() {
        var copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return copy.toByteArray();
    }

    /** The body without its closing boundary, as a connection cut mid-upload leaves it. */
    public byte[] buildUnterminated() {
        return out.toByteArray();
    }

    public static String contentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    private void write(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
