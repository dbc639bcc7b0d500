package dev.labdesk.worker.events.ingest;

import java.nio.charset.StandardCharsets;

import dev.labdesk.worker.events.EventLog;
import dev.labdesk.worker.session.RunTokens;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.ChatRules;
import dev.labdesk.model.LogAccepted;
import dev.labdesk.model.Problem;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.Sha256;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.session.SessionService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /log}: the agents' log sink.
 * <ul>
 * <li>Token: {@code Authorization: Bearer <token>}, or HTTP Basic with the token as password (Python
 *     HTTPHandler's {@code credentials=(name, token)}), or {@code ?token=}. Missing, unknown or revoked: 401.
 *     The session is the token's, never one named in the body, so no token can write to another session.
 *     A session already succeeded/failed/cancelled: 409.</li>
 * <li>JSON ({@code application/json}): one object or an array of at most 10,000. An object with
 *     {@code type} log, progress, result or error is that session event (its fields as in
 *     {@link SessionEvent}); without {@code type} it is a {@link dev.labdesk.model.LogRecord}
 *     ({@code level}, {@code logger}, {@code message}, {@code time}). {@code status} is refused: the worker
 *     owns it. {@code time} is kept when given (ISO-8601 or epoch seconds); {@code session_id}, {@code seq}
 *     are ignored. One bad record refuses the batch: 422 with every error's field ({@code [3].message}).</li>
 * <li>Form ({@code application/x-www-form-urlencoded}, or the query of {@code GET /log}, HTTPHandler's
 *     default method): a Python LogRecord's fields ({@link PythonLogRecords}).</li>
 * <li>Limits: body 8 MiB and batches over 10,000 records: 413; message 65,536 characters: 422.</li>
 * <li>Answer: 202 {@code {"accepted": n}}. A batch is appended in one step, so it stays together and in order.
 * With an {@code Idempotency-Key} header, a batch sent again with the same key is answered the same
 * and not appended again ({@code Idempotent-Replayed: true}).</li>
 * </ul>
 */
public final class LogRoutes {
    /** Bigger posts are refused with 413 before they are parsed. */
    public static final int MAX_BODY_BYTES = 8 << 20;
    /** A batch's own id (1–128 printable ASCII characters): resending it never appends it again. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final SessionService sessions;
    private final EventLog events;
    private final LogBatchKeys batchKeys;
    private final ObjectMapper mapper;
    private final LogRecordParser json;
    private final PythonLogRecords python;
    private final byte[] acceptedOne;

    public LogRoutes(SessionService sessions, EventLog events, LogBatchKeys batchKeys, ObjectMapper mapper, Clock clock) {
        this.sessions = sessions;
        this.events = events;
        this.batchKeys = batchKeys;
        this.mapper = mapper;
        this.json = new LogRecordParser(mapper, clock);
        this.python = new PythonLogRecords(clock);
        this.acceptedOne = accepted(1);
    }

    public void register(RoutesConfig routes) {
        routes.post("/log", this::post);
        routes.get("/log", this::getForm);
    }

    private void post(Context ctx) throws IOException {
        var sessionId = authorise(ctx);
        var body = readBounded(ctx);
        var type = mediaType(ctx.contentType());
        List<SessionEvent> batch = switch (type) {
            case "application/x-www-form-urlencoded" -> List.of(python.toEvent(sessionId, FormFields.parse(body, PythonLogRecords.FIELDS)));
            case "", "application/json", "text/json" -> parseJson(sessionId, body);
            default -> {
                if (type.endsWith("+json")) yield parseJson(sessionId, body);
                throw ProblemException.of(415, "Unsupported media type",
                        "POST /log takes application/json or application/x-www-form-urlencoded, got " + type);
            }
        };
        accept(ctx, sessionId, batch, body);
    }

    /** HTTPHandler(method="GET") puts the record in the query string. */
    private void getForm(Context ctx) {
        var sessionId = authorise(ctx);
        var query = ctx.queryString();
        if (query == null || query.length() > MAX_BODY_BYTES)
            throw ProblemException.field("msg", "is required (GET /log carries an HTTPHandler record in its query)");
        accept(ctx, sessionId, List.of(python.toEvent(sessionId, FormFields.parse(query, PythonLogRecords.FIELDS))), query.getBytes(StandardCharsets.UTF_8));
    }

    private List<SessionEvent> parseJson(String sessionId, byte[] body) throws IOException {
        try {
            return json.parse(sessionId, mapper.readTree(body));
        } catch (JacksonException e) {
            throw new ProblemException(Problem.malformed("the body is not valid JSON", new FieldError("body", e.getOriginalMessage())));
        }
    }

    private void accept(Context ctx, String sessionId, List<SessionEvent> batch, byte[] body) {
        var key = ctx.header(IDEMPOTENCY_KEY);
        if (key != null && !batch.isEmpty()) {
            if (!ChatRules.validClientMessageId(key))
                throw ProblemException.field("Idempotency-Key", ChatRules.clientMessageIdRule());
            switch (batchKeys.claim(sessionId, key, Sha256.hexOf(body))) {
                case REPLAY -> {
                    // the resend of a batch already appended: the same answer, nothing logged twice
                    ctx.header("Idempotent-Replayed", "true");
                    answerAccepted(ctx, batch.size());
                    return;
                }
                case OTHER_BODY -> throw new ProblemException(Problem.validation(422, "Idempotency key reused",
                        "Idempotency-Key '" + key + "' was already used for another batch of this session: a resend must be the same bytes, "
                                + "a new batch needs a new key", new FieldError("Idempotency-Key", "'" + key + "' was already used for a different body")));
                case NEW -> { }
            }
            try {
                events.appendAll(batch);
            } catch (RuntimeException e) {
                batchKeys.release(sessionId, key);
                throw e;
            }
        } else if (!batch.isEmpty()) {
            events.appendAll(batch);
        }
        answerAccepted(ctx, batch.size());
    }

    /**
     * Writes the 202 straight to the response, not through {@code ctx.result}: Javalin copies a result
     * to the socket through a fresh 32 KiB buffer per request, which at a thousand one-record posts a
     * second was two thirds of the worker's allocation and so most of its young collections
     * (docs/BENCHMARKS.md, live-log tail).
     */
    private void answerAccepted(Context ctx, int n) {
        var body = n == 1 ? acceptedOne : accepted(n);
        var res = ctx.res();
        res.setStatus(202);
        res.setContentType("application/json");
        res.setContentLength(body.length);
        try {
            res.getOutputStream().write(body);
        } catch (IOException gone) {
            // the poster hung up after its records were appended; nothing is owed to it
        }
    }

    private String authorise(Context ctx) {
        var token = RunTokens.fromRequest(ctx.header("Authorization"), ctx.queryParam("token"));
        if (token.isEmpty()) throw unauthorised(ctx, "a run token is required: Authorization: Bearer <token>, "
                + "HTTP Basic credentials with the token as password, or ?token=<token>");
        var holder = sessions.tokenHolder(token.get())
                .orElseThrow(() -> unauthorised(ctx, "the run token is unknown or no longer valid"));
        var status = holder.status();
        if (status != null && status.terminal())
            throw ProblemException.of(409, "Conflict", "session " + holder.sessionId() + " is already " + status.wire());
        return holder.sessionId();
    }

    private static ProblemException unauthorised(Context ctx, String detail) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"labdesk\", Basic realm=\"labdesk\"");
        return ProblemException.of(401, "Unauthorized", detail);
    }

    private static byte[] readBounded(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) throw tooLarge(declared);
        var in = ctx.req().getInputStream();
        if (declared >= 0) {
            // the usual case: one array of the announced size, filled in place
            var body = new byte[(int) declared];
            int n = in.readNBytes(body, 0, body.length);
            return n == body.length ? body : Arrays.copyOf(body, n);
        }
        var body = in.readNBytes(MAX_BODY_BYTES + 1); // chunked: read up to one byte past the limit
        if (body.length > MAX_BODY_BYTES) throw tooLarge(-1);
        return body;
    }

    private static ProblemException tooLarge(long declared) {
        return ProblemException.of(413, "Content too large", "a POST /log body holds at most " + MAX_BODY_BYTES
                + " bytes" + (declared > 0 ? ", got " + declared : "") + "; send smaller batches");
    }

    private static String mediaType(String contentType) {
        if (contentType == null) return "";
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private byte[] accepted(int n) {
        try {
            return mapper.writeValueAsBytes(new LogAccepted(n));
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }
}
