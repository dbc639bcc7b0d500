package dev.labdesk.worker.upload;

import dev.labdesk.worker.testing.RawMultipart;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A multipart body made on the fly, never held whole: a valid context, then {@code count} file
 * parts whose names break the path rules, then the closing boundary ({@code closed}) or, when not,
 * filler parts forever.
 */
final class BadParts extends InputStream {
    private final int count;
    private final boolean closed;
    private int next = -1;
    private byte[] current = new byte[0];
    private int pos;
    private boolean done;
    long produced;

    BadParts(int count, boolean closed) {
        this.count = count;
        this.closed = closed;
    }

    private boolean refill() {
        if (done) return false;
        String text;
        if (next == -1) text = part("form-data; name=\"name\"", "Growth curves") + part("form-data; name=\"description\"", "OD600");
        else if (next < count) text = part("form-data; name=\"files\"; filename=\"../bad-" + next + "\"", "x");
        else if (closed) {
            text = "--" + RawMultipart.BOUNDARY + "--\r\n";
            done = true;
        } else text = part("form-data; name=\"files\"; filename=\"../filler-" + next + "\"", "x");
        next++;
        current = text.getBytes(StandardCharsets.UTF_8);
        pos = 0;
        return true;
    }

    private static String part(String disposition, String content) {
        return "--" + RawMultipart.BOUNDARY + "\r\nContent-Disposition: " + disposition + "\r\n\r\n" + content + "\r\n";
    }

    @Override
    public int read() {
        var one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        int n = 0;
        while (n < len) {
            if (pos == current.length && !refill()) break;
            int k = Math.min(len - n, current.length - pos);
            System.arraycopy(current, pos, b, off + n, k);
            pos += k;
            n += k;
        }
        produced += n;
        return n == 0 && len > 0 ? -1 : n;
    }
}
