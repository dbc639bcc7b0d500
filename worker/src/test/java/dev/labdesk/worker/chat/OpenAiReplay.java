package dev.labdesk.worker.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import mockwebserver3.MockResponse;

import java.util.List;

/**
 * Responses in the exact shapes the OpenAI API sends (chat.completion.chunk server-sent events
 * ending with {@code data: [DONE]}, chat.completion objects, its error bodies), for MockWebServer:
 * the one stand-in the tests use, because the real API cannot be reached from here. Public for the agent's
 * narrative tests, which replay non-streamed completions that call tools ({@link #toolCalls}, {@link #answer}).
 */
public final class OpenAiReplay {
    private OpenAiReplay() {}

    private static ObjectNode chunk(ObjectNode delta, String finishReason) {
        var c = ChatTestClient.JSON.createObjectNode();
        c.put("id", "chatcmpl-AbC123").put("object", "chat.completion.chunk").put("created", 1764583200)
                .put("model", "gpt-4o-mini-2024-07-18").put("system_fingerprint", "fp_0aa8d3e20b").putNull("service_tier");
        var choice = c.putArray("choices").addObject();
        choice.put("index", 0).set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) choice.putNull("finish_reason"); else choice.put("finish_reason", finishReason);
        return c;
    }

    private static String event(ObjectNode chunk) {
        return "data: " + chunk + "\n\n";
    }

    /** The SSE body of a streamed text reply, one chunk per piece; {@code done}: ends properly (finish_reason + [DONE]). */
    public static String textBody(List<String> pieces, boolean done) {
        var sb = new StringBuilder();
        sb.append(event(chunk(ChatTestClient.JSON.createObjectNode().put("role", "assistant").put("content", "").putNull("refusal"), null)));
        for (var p : pieces) sb.append(event(chunk(ChatTestClient.JSON.createObjectNode().put("content", p), null)));
        if (done) {
            sb.append(event(chunk(ChatTestClient.JSON.createObjectNode(), "stop")));
            sb.append("data: [DONE]\n\n");
        }
        return sb.toString();
    }

    /** A streamed reply that calls {@code update_profile}, its JSON arguments split over several chunks. */
    public static String toolCallBody(String callId, List<String> argumentPieces) {
        var sb = new StringBuilder();
        var first = ChatTestClient.JSON.createObjectNode().put("role", "assistant").putNull("content").putNull("refusal");
        var call = first.putArray("tool_calls").addObject();
        call.put("index", 0).put("id", callId).put("type", "function");
        call.putObject("function").put("name", "update_profile").put("arguments", "");
        sb.append(event(chunk(first, null)));
        for (var piece : argumentPieces) {
            var d = ChatTestClient.JSON.createObjectNode();
            d.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", piece);
            sb.append(event(chunk(d, null)));
        }
        sb.append(event(chunk(ChatTestClient.JSON.createObjectNode(), "tool_calls")));
        sb.append("data: [DONE]\n\n");
        return sb.toString();
    }

    public static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream; charset=utf-8")
                .addHeader("openai-processing-ms", "112").addHeader("x-request-id", "req_abc123").body(body).build();
    }

    /** A slow stream: {@code bytesPerTick} bytes every {@code tickMillis}, as a model writing. */
    public static MockResponse slowSse(String body, long bytesPerTick, long tickMillis) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(body).throttleBody(bytesPerTick, tickMillis, java.util.concurrent.TimeUnit.MILLISECONDS).build();
    }

    /** HTTP 429 as OpenAI sends it. */
    public static MockResponse rateLimited() {
        return new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json; charset=utf-8")
                .addHeader("x-ratelimit-limit-requests", "3").addHeader("x-ratelimit-remaining-requests", "0")
                .addHeader("retry-after", "1")
                .body("""
                        {
                            "error": {
                                "message": "Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
                                "type": "requests",
                                "param": null,
                                "code": "rate_limit_exceeded"
                            }
                        }
                        """).build();
    }

    public static MockResponse error(int code, String type, String errorCode, String message) {
        var body = ChatTestClient.JSON.createObjectNode();
        var e = body.putObject("error");
        e.put("message", message).put("type", type).putNull("param");
        if (errorCode == null) e.putNull("code"); else e.put("code", errorCode);
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8").body(body.toString()).build();
    }

    /** A non-streamed chat.completion whose message content is {@code content} (e.g. a structured-output JSON text). */
    static MockResponse completion(String content) {
        var c = ChatTestClient.JSON.createObjectNode();
        c.put("id", "chatcmpl-XyZ789").put("object", "chat.completion").put("created", 1764583260).put("model", "gpt-4o-mini-2024-07-18");
        var choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal").putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        c.putObject("usage").put("prompt_tokens", 412).put("completion_tokens", 96).put("total_tokens", 508);
        c.put("service_tier", "default").put("system_fingerprint", "fp_0aa8d3e20b");
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(c.toString()).build();
    }

    /** An assistant message calling functions, as chat.completions returns it: each call {id, name, arguments JSON text}. */
    public static ObjectNode toolCalls(List<List<String>> calls) {
        var m = ChatTestClient.JSON.createObjectNode().put("role", "assistant").putNull("content");
        var array = m.putArray("tool_calls");
        for (var c : calls) {
            var call = array.addObject().put("id", c.get(0)).put("type", "function");
            call.putObject("function").put("name", c.get(1)).put("arguments", c.get(2));
        }
        return m;
    }

    /** An assistant message that answers in text. */
    public static ObjectNode answer(String text) {
        return ChatTestClient.JSON.createObjectNode().put("role", "assistant").put("content", text);
    }

    /** A non-streamed chat.completion carrying {@code message}, ended by {@code finishReason} ({@code stop} or {@code tool_calls}). */
    public static MockResponse completion(JsonNode message, String finishReason) {
        var c = ChatTestClient.JSON.createObjectNode();
        c.put("id", "chatcmpl-Nr4t1v3").put("object", "chat.completion").put("created", 1764619200).put("model", "gpt-4o-mini-2024-07-18");
        var choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        var msg = choice.putObject("message");
        msg.setAll((ObjectNode) message);
        msg.putNull("refusal").putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        c.putObject("usage").put("prompt_tokens", 530).put("completion_tokens", 41).put("total_tokens", 571);
        c.put("service_tier", "default").put("system_fingerprint", "fp_0aa8d3e20b");
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(c.toString()).build();
    }
}
