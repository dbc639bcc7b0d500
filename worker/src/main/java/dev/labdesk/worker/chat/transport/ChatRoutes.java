package dev.labdesk.worker.chat.transport;

import dev.labdesk.worker.chat.replies.ChatService;

import dev.labdesk.worker.chat.profile.ProfileExtraction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.ChatRules;
import dev.labdesk.model.ExtractProfileRequest;
import dev.labdesk.model.FieldError;
import dev.labdesk.model.Problem;
import dev.labdesk.worker.auth.Principal;
import dev.labdesk.worker.http.ProblemException;
import dev.labdesk.worker.http.Problems;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@code WS /chat/{user_id}} and {@code POST /extract-profile}. A conversation is its user's: only
 * that principal (or an admin) may open it or extract a profile from it.
 */
public final class ChatRoutes {
    /**
     * Jetty's own limit on an incoming text message. Above {@link ChatRules#FRAME_MAX_BYTES} we still
     * read the frame so we can answer it with an error and keep the connection; beyond this much
     * larger bound Jetty closes the connection (1009) rather than buffer it.
     */
    static final long JETTY_MAX_TEXT_BYTES = 4L * ChatRules.FRAME_MAX_BYTES;
    /**
     * Jetty starts each incoming text message in a builder of this many bytes (4 KiB by default, a
     * fresh array per message). A message frame of a short chat line is 100–200 bytes; longer ones grow it.
     */
    static final int INPUT_BUFFER_BYTES = 256;
    /** Longer than the ping interval, so a healthy connection never idles out. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** An extract-profile body: 100 items of long conversations fit; beyond is refused before parsing. */
    static final long EXTRACT_BODY_MAX = 16L * 1024 * 1024;
    private static final String SOCKET = "labdesk.chat.socket";

    private final ChatService chat;
    private final ProfileExtraction extraction;
    private final ObjectMapper mapper;
    private final Problems problems;

    public ChatRoutes(ChatService chat, ProfileExtraction extraction, ObjectMapper mapper) {
        this.chat = chat;
        this.extraction = extraction;
        this.mapper = mapper;
        this.problems = new Problems(mapper);
    }

    public void register(RoutesConfig routes) {
        routes.wsBeforeUpgrade("/chat/{user_id}", ctx -> {
            var userId = ctx.pathParam("user_id");
            var caller = Principal.of(ctx);
            if (!ChatRules.validUserId(userId))
                problems.refuseUpgrade(ctx, Problem.validation(List.of(new FieldError("user_id", ChatRules.userIdRule()))));
            else if (!caller.mayRead(userId))
                problems.refuseUpgrade(ctx, Problem.of(403, "Forbidden", "you are signed in as '" + caller.id() + "': you may open /chat/" + caller.id() + " only"));
        });
        routes.ws("/chat/{user_id}", ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setMaxTextMessageSize(JETTY_MAX_TEXT_BYTES);
                ctx.session.setIdleTimeout(IDLE_TIMEOUT);
                ctx.session.setInputBufferSize(INPUT_BUFFER_BYTES);
                var socket = new ChatSocket(ctx, ctx.pathParam("user_id"));
                ctx.attribute(SOCKET, socket);
                chat.connect(socket);
            });
            ws.onMessage(ctx -> chat.receiveSafely(socket(ctx), ctx.message()));
            ws.onBinaryMessage(ctx -> socket(ctx).send(chat.error("bad_frame", "binary frames are not supported: send JSON text frames")));
            ws.onClose(ctx -> chat.disconnect(socket(ctx)));
        });
        routes.post("/extract-profile", this::extract);
    }

    /** The connection's socket, made when it opened. */
    private static ChatSocket socket(WsContext ctx) {
        return ctx.attribute(SOCKET);
    }

    private void extract(Context ctx) throws IOException {
        if (ctx.contentLength() > EXTRACT_BODY_MAX)
            throw ProblemException.of(413, "Request too large", "an extract-profile body may be at most " + EXTRACT_BODY_MAX + " bytes");
        ExtractProfileRequest request;
        try (var body = ctx.bodyInputStream()) {
            var bytes = body.readNBytes((int) EXTRACT_BODY_MAX + 1);
            if (bytes.length > EXTRACT_BODY_MAX)
                throw ProblemException.of(413, "Request too large", "an extract-profile body may be at most " + EXTRACT_BODY_MAX + " bytes");
            request = mapper.readValue(bytes, ExtractProfileRequest.class);
        } catch (JsonProcessingException e) {
            throw ProblemException.of(400, "Bad request", "the body must be JSON: {\"items\": [{\"user_id\": …} or {\"messages\": [{\"role\", \"text\"}, …]}]}");
        }
        ctx.contentType("application/json").result(mapper.writeValueAsBytes(extraction.run(Principal.of(ctx), request)));
    }
}
