package dev.labdesk.worker.chat.agents;

import com.fasterxml.jackson.databind.JsonNode;

import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;

import java.io.InterruptedIOException;
import java.util.Optional;

/**
 * Turns what openai-java throws into one readable {@link ChatAgentException} with {@code retryable}
 * set the way a client should act on it: a refused key or an unknown model will not fix itself,
 * a rate limit, an overloaded server, a time-out or a broken stream may.
 */
public final class LlmFailures {
    private LlmFailures() {}

    public static ChatAgentException map(OpenAIException e, String model) {
        return switch (e) {
            // 401/403: never echo the server's body, OpenAI's repeats a masked form of the key
            case UnauthorizedException u -> new ChatAgentException("llm_unauthorized",
                    "the model server refused the API key (HTTP 401): check OPENAI_API_KEY", false, e);
            case PermissionDeniedException p -> new ChatAgentException("llm_forbidden",
                    "the API key may not use model " + model + " (HTTP 403)", false, e);
            case RateLimitException r -> new ChatAgentException("llm_rate_limited",
                    "the model server is rate-limiting us (HTTP 429)" + detail(r) + "; try again in a moment", true, e);
            case NotFoundException n -> new ChatAgentException("llm_model_not_found",
                    "the model server does not know model " + model + " (HTTP 404): check OPENAI_MODEL", false, e);
            case BadRequestException b -> new ChatAgentException("llm_bad_request",
                    "the model server refused the request (HTTP 400)" + detail(b), false, e);
            case UnprocessableEntityException u -> new ChatAgentException("llm_bad_request",
                    "the model server refused the request (HTTP 422)" + detail(u), false, e);
            case InternalServerException s -> new ChatAgentException("llm_unavailable",
                    "the model server failed (HTTP " + s.statusCode() + ")" + detail(s) + "; try again", true, e);
            case SseException s -> new ChatAgentException("llm_stream_error",
                    "the model's stream reported an error" + detail(s), true, e);
            case OpenAIServiceException s -> new ChatAgentException("llm_error",
                    "the model server answered HTTP " + s.statusCode() + detail(s), s.statusCode() >= 500, e);
            case OpenAIIoException io when timedOut(io) -> new ChatAgentException("llm_timeout",
                    "the model server did not answer in time; try again", true, e);
            case OpenAIIoException io -> new ChatAgentException("llm_connection",
                    "the connection to the model server failed (" + io.getCause() + "); try again", true, e);
            case OpenAIInvalidDataException bad -> new ChatAgentException("llm_bad_response",
                    "the model server sent a malformed response; try again", true, e);
            default -> new ChatAgentException("llm_error", "the model call failed: " + e.getMessage(), true, e);
        };
    }

    /** The stream ended without a finish reason: the connection was cut mid-reply. */
    static ChatAgentException cut() {
        return new ChatAgentException("llm_stream_cut", "the model's reply was cut off mid-stream; try again", true);
    }

    private static boolean timedOut(Throwable e) {
        for (var t = e; t != null; t = t.getCause()) if (t instanceof InterruptedIOException) return true;
        return false;
    }

    /** The server's own error message (OpenAI's body: {"error":{"message":…}}), short. */
    private static String detail(OpenAIServiceException e) {
        return message(e).map(m -> ": " + (m.length() > 300 ? m.substring(0, 300) + "…" : m)).orElse("");
    }

    private static Optional<String> message(OpenAIServiceException e) {
        try {
            var body = e.body().convert(JsonNode.class);
            if (body == null) return Optional.empty();
            var m = body.path("error").path("message");
            if (!m.isTextual()) m = body.path("message");
            return m.isTextual() && !m.asText().isBlank() ? Optional.of(m.asText()) : Optional.empty();
        } catch (RuntimeException ignored) {
            return Optional.empty();
        }
    }
}
