package dev.labdesk.worker.events;


import dev.labdesk.model.SessionEvent;

import java.time.Duration;
import java.util.List;

/**
 * A session's events in order, numbered 1, 2, 3… Appends never wait for readers: each reader
 * pulls at its own pace with {@link #read}, so a slow subscriber cannot hold up the agent or
 * other subscribers. In the worker's database for one worker; Redis Streams when several share sessions;
 * in memory for tests.
 */
public interface EventLog {
    /** Appends one event, assigning the session's next sequence number; returns it as stored. */
    SessionEvent append(SessionEvent event);

    /** Appends events of one session in order, as one step; returns them as stored. */
    List<SessionEvent> appendAll(List<SessionEvent> events);

    /**
     * Events of {@code sessionId} with {@code seq > afterSeq}, at most {@code max}, waiting up to
     * {@code wait} for the first one if none is there yet (an empty batch after the wait).
     * When events after {@code afterSeq} are no longer held the batch says so ({@link Batch#gap()}).
     */
    Batch read(String sessionId, long afterSeq, int max, Duration wait) throws InterruptedException;

    /**
     * What a live-log subscriber after {@code afterSeq} is owed, as SSE frames ({@link SseFrames}) given
     * to {@code sink}: like {@link #read}, waiting up to {@code wait}, at most {@code max} events, a
     * {@link FrameSink#gap} first when events after {@code afterSeq} are no longer held, and nothing
     * after a terminal status (the batch's {@link FrameBatch#end()}). The sink is called before this
     * returns, possibly under the log's lock: it only copies.
     */
    FrameBatch readFrames(String sessionId, long afterSeq, int max, Duration wait, FrameSink sink) throws InterruptedException;

    /** The newest sequence number of a session, 0 when it has none. */
    long lastSeq(String sessionId);

    /**
     * @param events         in order, without gap, starting at afterSeq + 1 unless {@code gap}
     * @param gap            events after the requested sequence were dropped by retention
     * @param firstAvailable the oldest sequence number still held (0 when none)
     */
    record Batch(List<SessionEvent> events, boolean gap, long firstAvailable) {}

    /** Receives {@link #readFrames}' frames in order. */
    interface FrameSink {
        /** Events after {@code requestedAfter} up to {@code firstAvailable - 1} are gone; comes before any frame. */
        void gap(long requestedAfter, long firstAvailable);

        /** One event's whole frame, {@code bytes[offset, offset + length)}; the bytes are not the sink's to keep. */
        void frame(byte[] bytes, int offset, int length);
    }

    /**
     * @param count   frames given to the sink
     * @param lastSeq the seq of the last of them (the requested {@code afterSeq} when none)
     * @param end     the session's terminal status when it was among them (the last), else null
     */
    record FrameBatch(int count, long lastSeq, SessionEvent.Status end) {}
}
