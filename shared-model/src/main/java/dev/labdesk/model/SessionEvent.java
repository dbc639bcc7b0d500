package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * Everything that happens in a session, in order. {@code seq} numbers a session's events 1, 2, 3…
 * and is assigned by the event log on append (an event built before that carries 0).
 * On the wire the JSON {@code type} field names the kind, and SSE's {@code event:} line repeats it.
 * The agent's errors are {@code agent_error}, not {@code error}: EventSource fires its own
 * {@code error} event on a lost connection, and {@code onerror = () => es.close()} must not close a
 * stream at the agent's first error. {@link #LEGACY_ERROR} is still read for one release.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SessionEvent.Status.class, name = "status"),
        @JsonSubTypes.Type(value = SessionEvent.Log.class, name = "log"),
        @JsonSubTypes.Type(value = SessionEvent.Progress.class, name = "progress"),
        @JsonSubTypes.Type(value = SessionEvent.Result.class, name = "result"),
        // "error" was the name before agent_error; still read for one release (stored events, older workers)
        @JsonSubTypes.Type(value = SessionEvent.Error.class, name = "agent_error", names = "error"),
})
public sealed interface SessionEvent {
    /** The agent error's name before {@code agent_error}; readers accept it for one release. */
    String LEGACY_ERROR = "error";

    String sessionId();
    long seq();
    Instant time();

    SessionEvent withSeq(long seq);

    /** The SSE event name, equal to the JSON {@code type}. */
    default String type() {
        return switch (this) {
            case Status _ -> "status";
            case Log _ -> "log";
            case Progress _ -> "progress";
            case Result _ -> "result";
            case Error _ -> "agent_error";
        };
    }

    record Status(String sessionId, long seq, Instant time, SessionStatus status) implements SessionEvent {
        public Status withSeq(long seq) { return new Status(sessionId, seq, time, status); }
    }

    record Log(String sessionId, long seq, Instant time, String level, String logger, String message) implements SessionEvent {
        public Log withSeq(long seq) { return new Log(sessionId, seq, time, level, logger, message); }
    }

    record Progress(String sessionId, long seq, Instant time, String step, long done, long total) implements SessionEvent {
        public Progress withSeq(long seq) { return new Progress(sessionId, seq, time, step, done, total); }
    }

    record Result(String sessionId, long seq, Instant time, ReportSummary summary) implements SessionEvent {
        public Result withSeq(long seq) { return new Result(sessionId, seq, time, summary); }
    }

    record Error(String sessionId, long seq, Instant time, String code, String message, boolean retryable) implements SessionEvent {
        public Error withSeq(long seq) { return new Error(sessionId, seq, time, code, message, retryable); }
    }
}
