package dev.labdesk.worker.events.stream;

import dev.labdesk.worker.events.SseFrames;

import dev.labdesk.worker.events.EventLog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionIds;
import dev.labdesk.worker.Limits;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.http.HttpMethods;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.session.SessionAccess;
import dev.labdesk.worker.session.SessionService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The live log as Server-Sent Events: {@code GET /sessions/{id}/events} and the original app's
 * {@code GET /stream?session_id=…}. Each subscriber pulls from the event log at its own pace on its
 * own virtual thread, so a slow one only falls behind (and is told {@code resync} if it falls out
 * of retention); the agent and the other subscribers never wait for it. Only the session's owner (or
 * an admin) may subscribe, and {@link SubscriberSlots} bounds how many streams are open at once.
 */
public final class EventRoutes {
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final int BATCH = 1000;
    private static final byte[] HEARTBEAT_FRAME = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);
    /** When a refused subscriber should try again: a slot frees the moment a stream ends or its client leaves. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final byte[] RETRY_FRAME = "retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII);

    private final SessionService sessions;
    private final EventLog events;
    private final ObjectMapper mapper;
    private final SubscriberSlots slots;
    private final Duration heartbeat;

    public EventRoutes(SessionService sessions, EventLog events, ObjectMapper mapper, Limits limits) {
        this(sessions, events, mapper, new SubscriberSlots(limits.sseSubscribersPerSession(), limits.sseSubscribersPerPrincipal()), HEARTBEAT);
    }

    public EventRoutes(SessionService sessions, EventLog events, ObjectMapper mapper, SubscriberSlots slots, Duration heartbeat) {
        this.sessions = sessions;
        this.events = events;
        this.mapper = mapper;
        this.slots = slots;
        this.heartbeat = heartbeat;
    }

    public void register(RoutesConfig routes) {
        routes.get("/sessions/{id}/events", ctx -> stream(ctx, ctx.pathParam("id"), "id"));
        routes.get("/stream", ctx -> stream(ctx, ctx.queryParam("session_id"), "session_id"));
    }

    private void stream(Context ctx, String sessionId, String idField) throws IOException, InterruptedException {
        if (sessionId == null || sessionId.isBlank()) throw ProblemException.field(idField, "is required");
        var caller = Principal.of(ctx);
        if (!SessionIds.valid(sessionId) || SessionAccess.visible(sessions.store(), caller, sessionId).isEmpty())
            throw ProblemException.notFound("no session " + sessionId);
        long after = resumePoint(ctx);
        if (after > 0 && alreadyEnded(sessionId, after) != null) {
            // a resume at or past the final event: 204 is how the SSE standard tells EventSource to stop reconnecting
            ctx.status(204);
            return;
        }
        if (HttpMethods.isHead(ctx)) { // what a GET would start with; the stream itself has no end to wait for
            ctx.status(200).contentType("text/event-stream;charset=utf-8").header("Cache-Control", "no-cache");
            return;
        }
        switch (slots.admit(sessionId, caller.id())) {
            case SubscriberSlots.Refused refused -> {
                ctx.header("Retry-After", Long.toString(RETRY_AFTER.toSeconds()));
                throw ProblemException.of(429, "Too many streams", refused.detail());
            }
            case SubscriberSlots.Slot slot -> {
                try (slot; var client = ClientWatch.start(ctx)) {
                    try {
                        serve(ctx, sessionId, after);
                    } catch (InterruptedException | RuntimeException e) {
                        if (!client.gone()) throw e; // else: the client left, and the wait for events was cut short
                    }
                }
            }
        }
    }

    private void serve(Context ctx, String sessionId, long after) throws IOException, InterruptedException {
        var res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream;charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        var out = res.getOutputStream();
        var frame = new Frames(sessionId);
        frame.writeBytes(RETRY_FRAME);
        try {
            var over = alreadyEnded(sessionId, after);
            if (over != null) {
                writeEnd(frame, over);
                frame.flushTo(out);
                return;
            }
            frame.flushTo(out);
            while (true) {
                // the log copies the frames in as they were serialised on append: no JSON per event here
                var batch = events.readFrames(sessionId, after, BATCH, heartbeat, frame);
                after = batch.lastSeq();
                boolean ended = batch.end() != null;
                if (ended) {
                    writeEnd(frame, batch.end());
                } else if (batch.count() == 0) {
                    var last = alreadyEnded(sessionId, after);
                    if (last != null) {
                        writeEnd(frame, last);
                        ended = true;
                    } else {
                        frame.writeBytes(HEARTBEAT_FRAME);
                    }
                }
                frame.flushTo(out);
                if (ended) return;
            }
        } catch (IOException gone) {
            // the subscriber disconnected; it resumes with Last-Event-ID
        }
    }

    private static long resumePoint(Context ctx) {
        var header = ctx.header("Last-Event-ID");
        if (header != null && !header.isBlank()) return nonNegative("Last-Event-ID", header.strip());
        var after = ctx.queryParam("after");
        return after == null || after.isBlank() ? 0 : nonNegative("after", after.strip());
    }

    private static long nonNegative(String field, String value) {
        try {
            long n = Long.parseLong(value);
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProblemException.field(field, "must be an event id: a whole number ≥ 0, got '" + value + "'");
    }

    /** A subscriber resuming after the final event gets {@code end} at once rather than heartbeats forever. */
    private SessionEvent alreadyEnded(String sessionId, long after) throws InterruptedException {
        long last = events.lastSeq(sessionId);
        if (last == 0 || last > after) return null;
        var tail = events.read(sessionId, last - 1, 1, Duration.ZERO).events();
        return !tail.isEmpty() && SseFrames.ended(tail.getFirst()) ? tail.getFirst() : null;
    }

    private void writeEnd(Frames frame, SessionEvent terminal) throws IOException {
        var status = ((SessionEvent.Status) terminal).status();
        writeFrame(frame, "end", mapper.writeValueAsBytes(new End(terminal.sessionId(), status.wire(), terminal.seq())));
    }

    private static void writeFrame(ByteArrayOutputStream frame, String event, byte[] json) {
        frame.writeBytes(("event: " + event + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
        frame.writeBytes(json); // compact JSON: never a raw newline inside
        frame.write('\n');
        frame.write('\n');
    }

    /** One subscriber's pending bytes: what its next flush sends. */
    private final class Frames extends ByteArrayOutputStream implements EventLog.FrameSink {
        private final String sessionId;

        Frames(String sessionId) {
            super(64 * 1024);
            this.sessionId = sessionId;
        }

        @Override
        public void gap(long requestedAfter, long firstAvailable) {
            try {
                writeFrame(this, "resync", mapper.writeValueAsBytes(new Resync(sessionId, requestedAfter, firstAvailable)));
            } catch (JacksonException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void frame(byte[] bytes, int offset, int length) {
            write(bytes, offset, length);
        }

        void flushTo(OutputStream out) throws IOException {
            writeTo(out);
            reset();
            out.flush();
        }
    }

    /** {@code event: resync}: events after {@code requestedAfter} up to {@code firstAvailable - 1} are gone. */
    record Resync(String sessionId, long requestedAfter, long firstAvailable) {}

    /** {@code event: end}: the session is over; nothing follows. */
    record End(String sessionId, String status, long lastSeq) {}
}
