package dev.labdesk.worker.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.LogAccepted;
import dev.labdesk.model.Problem;
import dev.labdesk.model.SessionEvent;
import dev.labdesk.model.SessionInfo;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.session.SessionService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /log}: the agents' log sink. Takes JSON (one record or event, or an array of them)
 * and Python {@code logging.handlers.HTTPHandler} form posts ({@code GET /log} too: that is
 * HTTPHandler's default method). The session is always the one the run token belongs to, never
 * one named in the body, so a token cannot write to another session. A batch is appended in one
 * step, so its records stay together and in order.
 */
public final class LogRoutes {
    /** Bigger posts are refused with 413 before they are parsed. */
    public static final int MAX_BODY_BYTES = 8 << 20;

    private final SessionService sessions;
    private final EventLog events;
    private final ObjectMapper mapper;
    private final LogRecordParser json;
    private final PythonLogRecords python;
    private final byte[] acceptedOne;

    public LogRoutes(SessionService sessions, EventLog events, ObjectMapper mapper, Clock clock) {
        this.sessions = sessions;
        this.events = events;
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
            case "application/x-www-form-urlencoded" -> List.of(python.toEvent(sessionId, FormFields.parse(body)));
            case "", "application/json", "text/json" -> parseJson(sessionId, body);
            default -> {
                if (type.endsWith("+json")) yield parseJson(sessionId, body);
                throw ProblemException.of(415, "Unsupported media type",
                        "POST /log takes application/json or application/x-www-form-urlencoded, got " + type);
            }
        };
        accept(ctx, sessionId, batch);
    }

    /** HTTPHandler(method="GET") puts the record in the query string. */
    private void getForm(Context ctx) {
        var sessionId = authorise(ctx);
        var query = ctx.queryString();
        if (query == null || query.length() > MAX_BODY_BYTES)
            throw ProblemException.field("msg", "is required (GET /log carries an HTTPHandler record in its query)");
        accept(ctx, sessionId, List.of(python.toEvent(sessionId, FormFields.parse(query))));
    }

    private List<SessionEvent> parseJson(String sessionId, byte[] body) throws IOException {
        try {
            return json.parse(sessionId, mapper.readTree(body));
        } catch (JacksonException e) {
            throw new ProblemException(new Problem("https://labdesk.dev/problems/validation", "Malformed request", 400,
                    "the body is not valid JSON", null, List.of(new FieldError("body", e.getOriginalMessage()))));
        }
    }

    private void accept(Context ctx, String sessionId, List<SessionEvent> batch) {
        if (!batch.isEmpty()) events.appendAll(batch);
        ctx.status(202).contentType("application/json").result(batch.size() == 1 ? acceptedOne : accepted(batch.size()));
    }

    private String authorise(Context ctx) {
        var token = RunTokens.fromRequest(ctx.header("Authorization"), ctx.queryParam("token"));
        if (token.isEmpty()) throw unauthorised(ctx, "a run token is required: Authorization: Bearer <token>, "
                + "HTTP Basic credentials with the token as password, or ?token=<token>");
        var sessionId = sessions.sessionForToken(token.get())
                .orElseThrow(() -> unauthorised(ctx, "the run token is unknown or no longer valid"));
        var status = sessions.store().get(sessionId).map(SessionInfo::status);
        if (status.isPresent() && status.get().terminal())
            throw ProblemException.of(409, "Conflict", "session " + sessionId + " is already " + status.get().wire());
        return sessionId;
    }

    private static ProblemException unauthorised(Context ctx, String detail) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"labdesk\", Basic realm=\"labdesk\"");
        return ProblemException.of(401, "Unauthorized", detail);
    }

    private static byte[] readBounded(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) throw tooLarge(declared);
        var body = ctx.req().getInputStream().readNBytes(MAX_BODY_BYTES + 1);
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
