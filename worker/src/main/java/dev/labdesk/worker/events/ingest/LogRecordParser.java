package dev.labdesk.worker.events.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.ReportSummary;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.http.ProblemException;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@code POST /log} JSON body into session events. An object with {@code type} log,
 * progress, result or error is that event; an object without {@code type} is a
 * {@link dev.labdesk.model.LogRecord}. {@code session_id} and {@code seq} in the body are ignored
 * (the token names the session, the event log numbers events); {@code time} is kept when given
 * (ISO-8601 or epoch seconds), else the worker's clock fills it. Validation is all-or-nothing:
 * one bad record refuses the whole batch, each error naming its field ({@code [3].message}).
 */
final class LogRecordParser {
    static final int MAX_BATCH = 10_000;
    static final int MAX_MESSAGE = 65_536;
    static final int MAX_NAME = 256;
    static final int MAX_LEVEL = 16;
    private static final int MAX_ERRORS = 20;

    private final ObjectMapper mapper;
    private final Clock clock;
    private final RepeatedNames names = new RepeatedNames();

    LogRecordParser(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    List<SessionEvent> parse(String sessionId, JsonNode root) {
        var now = clock.instant();
        var errors = new ArrayList<FieldError>();
        List<SessionEvent> out;
        if (root.isObject()) {
            out = new ArrayList<>(1);
            var e = event(sessionId, root, "", now, errors);
            if (e != null) out.add(e);
        } else if (root.isArray()) {
            if (root.size() > MAX_BATCH)
                throw ProblemException.of(413, "Content too large",
                        "a POST /log batch holds at most " + MAX_BATCH + " records, got " + root.size());
            out = new ArrayList<>(root.size());
            for (int i = 0; i < root.size() && errors.size() < MAX_ERRORS; i++) {
                var node = root.get(i);
                if (!node.isObject()) {
                    errors.add(new FieldError("[" + i + "]", "must be a JSON object"));
                    continue;
                }
                var e = event(sessionId, node, "[" + i + "].", now, errors);
                if (e != null) out.add(e);
            }
        } else {
            throw ProblemException.field("body", "must be a JSON object or an array of objects");
        }
        if (!errors.isEmpty()) throw ProblemException.validation(errors);
        return out;
    }

    private SessionEvent event(String sessionId, JsonNode node, String at, Instant now, List<FieldError> errors) {
        var f = new Fields(node, at, errors);
        var type = f.text("type", false, MAX_LEVEL, null);
        var time = f.time(now);
        if (type == null) {
            var given = node.get("type");
            if (given != null && !given.isNull()) return null; // not a string: already reported
            return log(sessionId, f, time);
        }
        return switch (type) {
            case "log" -> log(sessionId, f, time);
            case "progress" -> new SessionEvent.Progress(sessionId, 0, time, f.text("step", true, 1024, null),
                    f.count("done"), f.count("total"));
            case "result" -> new SessionEvent.Result(sessionId, 0, time, summary(node.get("summary"), at, errors));
            case "agent_error", "error" -> new SessionEvent.Error(sessionId, 0, time, f.text("code", true, 128, null),
                    f.text("message", true, MAX_MESSAGE, null), f.bool("retryable"));
            case "status" -> f.fail("type", "status events are the worker's own; agents send log, progress, result or error");
            default -> f.fail("type", "must be one of log, progress, result, error");
        };
    }

    private SessionEvent log(String sessionId, Fields f, Instant time) {
        var level = f.text("level", false, MAX_LEVEL, "INFO");
        return new SessionEvent.Log(sessionId, 0, time, level == null ? null : names.canonical(level.toUpperCase(Locale.ROOT)),
                names.canonical(f.text("logger", false, MAX_NAME, "agent")), f.text("message", true, MAX_MESSAGE, null));
    }

    private ReportSummary summary(JsonNode node, String at, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(at + "summary", "is required: the report summary object"));
            return null;
        }
        try {
            return mapper.treeToValue(node, ReportSummary.class);
        } catch (JacksonException e) {
            errors.add(new FieldError(at + "summary", "is not a report summary: " + e.getOriginalMessage()));
            return null;
        }
    }

    /** Reads one object's fields, recording what is wrong instead of stopping at the first problem. */
    private record Fields(JsonNode node, String at, List<FieldError> errors) {
        String text(String name, boolean required, int max, String fallback) {
            var v = node.get(name);
            if (v == null || v.isNull()) {
                if (required) errors.add(new FieldError(at + name, "is required"));
                return fallback;
            }
            if (!v.isTextual()) {
                errors.add(new FieldError(at + name, "must be a string"));
                return fallback;
            }
            var s = v.textValue();
            if (s.length() > max) errors.add(new FieldError(at + name, "is longer than " + max + " characters"));
            else if (required && s.isBlank()) errors.add(new FieldError(at + name, "must not be empty"));
            return s;
        }

        long count(String name) {
            var v = node.get(name);
            if (v == null || v.isNull()) return 0;
            if (!v.canConvertToExactIntegral() || v.asLong() < 0) {
                errors.add(new FieldError(at + name, "must be a whole number, 0 or more"));
                return 0;
            }
            return v.asLong();
        }

        boolean bool(String name) {
            var v = node.get(name);
            if (v == null || v.isNull()) return false;
            if (!v.isBoolean()) errors.add(new FieldError(at + name, "must be true or false"));
            return v.asBoolean();
        }

        Instant time(Instant now) {
            var v = node.get("time");
            if (v == null || v.isNull()) return now;
            try {
                if (v.isNumber()) return epochSeconds(v.asDouble());
                if (v.isTextual()) return Instant.parse(v.textValue());
            } catch (DateTimeParseException | ArithmeticException ignored) {
                // reported below
            }
            errors.add(new FieldError(at + "time", "must be an ISO-8601 instant (2026-01-31T12:00:00Z) or epoch seconds"));
            return now;
        }

        SessionEvent fail(String name, String message) {
            errors.add(new FieldError(at + name, message));
            return null;
        }
    }

    static Instant epochSeconds(double seconds) {
        if (!Double.isFinite(seconds)) throw new ArithmeticException("not finite");
        long whole = (long) Math.floor(seconds);
        return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9) % 1_000_000_000L);
    }
}
