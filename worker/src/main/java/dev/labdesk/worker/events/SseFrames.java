package dev.labdesk.worker.events;


import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.labdesk.model.SessionEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A session event as the Server-Sent Events frame every subscriber is sent:
 * {@code id: <seq>\nevent: <type>\ndata: <json>\n\n}, the JSON compact on one line (Jackson escapes
 * control characters, so no raw newline can end the data line early). The in-memory log keeps events
 * in this form, so an event is serialised once however many subscribers and replays read it.
 */
public final class SseFrames {
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "\nevent: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper mapper;
    private final ObjectWriter json; // the frame goes on after the JSON: Jackson must not close the stream

    public SseFrames(ObjectMapper mapper) {
        this.mapper = mapper;
        this.json = mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /** Writes the frame of {@code event} (its seq already assigned) to {@code out}. */
    public void write(SessionEvent event, OutputStream out) throws IOException {
        out.write(ID);
        writeDecimal(event.seq(), out);
        out.write(EVENT);
        out.write(event.type().getBytes(StandardCharsets.US_ASCII));
        out.write(DATA);
        json.writeValue(out, event);
        out.write(END);
    }

    /**
     * The frames of {@code events} (their seqs assigned), one array each, the same bytes as {@link #write}
     * gives, from one JSON generator for the whole batch rather than one set up (buffers, context,
     * serializer provider) for each event of a 500-record post.
     */
    public byte[][] frames(List<? extends SessionEvent> events) {
        var frames = new byte[events.size()][];
        var out = new ByteArrayOutputStream(256);
        try (var generator = json.createGenerator(out)) {
            generator.setRootValueSeparator(null); // frames, not a stream of JSON values: nothing between them
            for (int i = 0; i < frames.length; i++) {
                var event = events.get(i);
                out.reset();
                out.write(ID);
                writeDecimal(event.seq(), out);
                out.write(EVENT);
                out.write(event.type().getBytes(StandardCharsets.US_ASCII));
                out.write(DATA);
                json.writeValue(generator, event);
                generator.flush(); // the JSON into out before the frame's end
                out.write(END);
                frames[i] = out.toByteArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a session event did not serialise", e);
        }
        return frames;
    }

    /** The event whose frame is {@code frame[offset, offset + length)}, as {@link #write} wrote it. */
    public SessionEvent read(byte[] frame, int offset, int length) {
        int end = offset + length;
        int newlines = 0, at = offset;
        while (at < end && newlines < 2) if (frame[at++] == '\n') newlines++;
        int data = at + "data: ".length();
        try {
            return mapper.readValue(frame, data, end - END.length - data, SessionEvent.class);
        } catch (IOException e) {
            throw new IllegalStateException("a stored event frame did not parse", e);
        }
    }

    /**
     * For a log that keeps events as objects: gives {@code sink} the frames of {@code batch} (read after
     * {@code afterSeq}), as {@link EventLog#readFrames} promises.
     */
    public EventLog.FrameBatch toSink(EventLog.Batch batch, long afterSeq, EventLog.FrameSink sink) {
        if (batch.gap()) sink.gap(afterSeq, batch.firstAvailable());
        var scratch = new ByteArrayOutputStream(256);
        long lastSeq = afterSeq;
        int count = 0;
        for (var event : batch.events()) {
            scratch.reset();
            try {
                write(event, scratch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sink.frame(scratch.toByteArray(), 0, scratch.size());
            lastSeq = event.seq();
            count++;
            if (ended(event)) return new EventLog.FrameBatch(count, lastSeq, (SessionEvent.Status) event);
        }
        return new EventLog.FrameBatch(count, lastSeq, null);
    }

    /**
     * For a log that keeps frames in a {@link FrameRing}: gives {@code sink} at most {@code max} frames
     * from {@code from} to the ring's last, stopping after a terminal status, as {@link EventLog#readFrames} promises.
     */
    public EventLog.FrameBatch fromRing(FrameRing ring, long from, long afterSeq, int max, EventLog.FrameSink sink) {
        int count = 0;
        long seq = afterSeq;
        for (long s = from; s <= ring.last() && count < max; s++) {
            sink.frame(ring.chunk(s), ring.offset(s), ring.length(s));
            count++;
            seq = s;
            if (ring.terminal(s)) return new EventLog.FrameBatch(count, seq, (SessionEvent.Status) read(ring.chunk(s), ring.offset(s), ring.length(s)));
        }
        return new EventLog.FrameBatch(count, seq, null);
    }

    /** A terminal status: the session's last event, after which a stream ends. */
    public static boolean ended(SessionEvent event) {
        return event instanceof SessionEvent.Status s && s.status().terminal();
    }

    private static void writeDecimal(long n, OutputStream out) throws IOException {
        if (n < 0) throw new IllegalArgumentException("seq " + n);
        long unit = 1;
        while (unit <= n / 10) unit *= 10;
        for (; unit > 0; unit /= 10) out.write((int) ('0' + n / unit % 10));
    }
}
