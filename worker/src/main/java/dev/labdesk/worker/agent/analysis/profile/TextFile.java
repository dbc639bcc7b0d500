package dev.labdesk.worker.agent.analysis.profile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * What a delimited text file is before DuckDB reads it: empty, binary, or text in an encoding
 * (a file that is not UTF-8 is re-encoded into the scratch directory as Windows-1252, the superset
 * of Latin-1 that spreadsheets write), and the delimiter its header line uses.
 */
public record TextFile(Path readable, String encodingNote, char delimiter, String problem) {
    /** How much of a file is checked for UTF-8 before it is read; past this DuckDB's own check still applies. */
    static final int UTF8_CHECK_BYTES = 16 << 20;
    private static final int HEAD = 64 << 10;
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    public static TextFile inspect(Path file, Path scratch, char defaultDelimiter) throws IOException {
        byte[] head;
        try (var in = open(file)) {
            head = in.readNBytes(HEAD);
        }
        if (head.length == 0 || new String(head, StandardCharsets.ISO_8859_1).isBlank())
            return new TextFile(null, null, defaultDelimiter, "not read: the file is empty");
        Charset charset = StandardCharsets.UTF_8;
        String note = null;
        if (head.length >= 2 && ((head[0] == (byte) 0xFF && head[1] == (byte) 0xFE) || (head[0] == (byte) 0xFE && head[1] == (byte) 0xFF))) {
            charset = StandardCharsets.UTF_16;
            note = "UTF-16 text, re-encoded as UTF-8 to read it";
        } else {
            if (binary(head)) return new TextFile(null, null, defaultDelimiter, "not read: binary content, not delimited text");
            if (!utf8(file)) {
                charset = WINDOWS_1252;
                note = "not UTF-8: read as Windows-1252 (Latin-1)";
            }
        }
        var readable = file;
        if (charset != StandardCharsets.UTF_8) {
            readable = Files.createTempFile(scratch, "recoded-", ".csv");
            var decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (var reader = new InputStreamReader(open(file), decoder);
                 var writer = new OutputStreamWriter(Files.newOutputStream(readable), StandardCharsets.UTF_8)) {
                reader.transferTo(writer);
            }
        }
        String firstLine;
        try (var in = open(readable)) {
            var text = new String(in.readNBytes(HEAD), StandardCharsets.UTF_8).strip();
            int end = text.indexOf('\n');
            firstLine = end < 0 ? text : text.substring(0, end);
        }
        return new TextFile(readable, note, delimiter(firstLine, defaultDelimiter), null);
    }

    /** The candidate delimiter seen most often outside quotes in the header line. */
    static char delimiter(String line, char fallback) {
        if (fallback == '\t') return fallback;
        char best = fallback;
        int bestCount = 0;
        for (char d : new char[] {',', '\t', ';', '|'}) {
            int n = 0;
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (ch == '"') quoted = !quoted;
                else if (ch == d && !quoted) n++;
            }
            if (n > bestCount) {
                best = d;
                bestCount = n;
            }
        }
        return best;
    }

    /** NUL bytes, or many control characters, are not text. */
    private static boolean binary(byte[] head) {
        int control = 0;
        for (byte b : head) {
            if (b == 0) return true;
            if (b >= 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') control++;
        }
        return control > head.length / 20;
    }

    private static boolean utf8(Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (var in = open(file)) {
            var bytes = in.readNBytes(UTF8_CHECK_BYTES);
            int end = bytes.length;
            if (end == UTF8_CHECK_BYTES) { // drop the last character: the limit may have cut it
                int i = end - 1;
                while (i > 0 && (bytes[i] & 0xC0) == 0x80) i--;
                end = i;
            }
            decoder.decode(ByteBuffer.wrap(bytes, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static InputStream open(Path file) throws IOException {
        var raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
    }
}
