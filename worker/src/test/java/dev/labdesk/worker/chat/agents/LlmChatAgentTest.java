package dev.labdesk.worker.chat.agents;

import dev.labdesk.worker.chat.ChatTestClient;
import dev.labdesk.worker.chat.OpenAiReplay;

import dev.labdesk.worker.llm.LlmClients;
import com.fasterxml.jackson.databind.JsonNode;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.model.SourcedProfile;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * openai-java for real (on the OkHttp 5 of our class path) against a local OpenAI-compatible server
 * replaying the API's real response shapes.
 */
class LlmChatAgentTest {
    private final MockWebServer server = new MockWebServer();
    private LlmChatAgent agent;
    private final List<String> deltas = new CopyOnWriteArrayList<>();
    private final List<SourcedProfile> profiles = new CopyOnWriteArrayList<>();
    private final ChatMessage question = ChatMessage.assistant("a1", "c0", "Hi! What's your name?", MessageStatus.COMPLETE, Instant.EPOCH);
    private final ChatMessage answer = ChatMessage.user("c1", "c1", "I'm Ada Lovelace and I work with CSV files and images", Instant.EPOCH);

    @BeforeEach
    void start() throws Exception {
        server.start();
        agent = agent(Duration.ofSeconds(10));
    }

    private LlmChatAgent agent(Duration readTimeout) {
        var client = LlmClients.create("sk-test-not-a-real-key", Optional.of(URI.create(server.url("/v1").toString())), readTimeout);
        return new LlmChatAgent(client, "gpt-4o-mini", ChatTestClient.JSON);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Reply reply() {
        return new Reply("r1", "c1", (r, chunk) -> {
            if (r.append(chunk)) deltas.add(chunk);
        }, profiles::add);
    }

    private Turn turn() {
        return new Turn("ada", List.of(question, answer), answer, SourcedProfile.EMPTY);
    }

    private JsonNode request() throws Exception {
        var recorded = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded).isNotNull();
        assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-not-a-real-key");
        return ChatTestClient.JSON.readTree(recorded.getBody().utf8());
    }

    @Test
    void streamsTheReplyChunkByChunk() throws Exception {
        server.enqueue(OpenAiReplay.sse(OpenAiReplay.textBody(List.of("Nice to meet", " you, Ada", "! What is your role?"), true)));
        var reply = reply();
        agent.reply(turn(), reply);
        assertThat(deltas).containsExactly("Nice to meet", " you, Ada", "! What is your role?");
        assertThat(reply.text()).isEqualTo("Nice to meet you, Ada! What is your role?");
        var body = request();
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(body.at("/messages/2/role").asText()).isEqualTo("assistant");
        assertThat(body.at("/messages/3/content").asText()).isEqualTo(answer.text());
        assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("update_profile");
        assertThat(body.at("/tools/0/function/parameters/properties/research_area/type").asText()).isEqualTo("string");
    }

    @Test
    void aToolCallSplitAcrossChunksUpdatesTheProfileThenTheModelGoesOn() throws Exception {
        server.enqueue(OpenAiReplay.sse(OpenAiReplay.toolCallBody("call_Qx1", List.of(
                "{\"na", "me\": \"Ada Lo", "velace\", \"data_", "types\": \"CSV tables, images\"}"))));
        server.enqueue(OpenAiReplay.sse(OpenAiReplay.textBody(List.of("Thanks, Ada.", " What is your role?"), true)));
        var reply = reply();
        agent.reply(turn(), reply);
        assertThat(profiles).hasSize(1);
        var p = profiles.getFirst();
        assertThat(p.profile().name()).isEqualTo("Ada Lovelace");
        assertThat(p.profile().dataTypes()).containsExactly("CSV tables", "images");
        assertThat(p.sources()).containsEntry("name", "c1").containsEntry("data_types", "c1");
        assertThat(reply.text()).isEqualTo("Thanks, Ada. What is your role?");
        request();
        var followUp = request();
        var messages = followUp.path("messages");
        var assistant = messages.get(messages.size() - 2);
        assertThat(assistant.at("/tool_calls/0/id").asText()).isEqualTo("call_Qx1");
        assertThat(assistant.at("/tool_calls/0/function/arguments").asText()).contains("Ada Lovelace");
        var tool = messages.get(messages.size() - 1);
        assertThat(tool.path("role").asText()).isEqualTo("tool");
        assertThat(tool.path("tool_call_id").asText()).isEqualTo("call_Qx1");
    }

    @Test
    void aRateLimitIsRetryableAndSaysWhy() {
        server.enqueue(OpenAiReplay.rateLimited());
        assertThatThrownBy(() -> agent.reply(turn(), reply()))
                .isInstanceOfSatisfying(ChatAgentException.class, e -> {
                    assertThat(e.code()).isEqualTo("llm_rate_limited");
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("429").contains("Rate limit reached for gpt-4o-mini");
                });
    }

    @Test
    void aRefusedKeyIsNotRetryableAndIsNeverEchoed() {
        server.enqueue(OpenAiReplay.error(401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided: sk-test-***-key. You can find your API key at https://platform.openai.com/account/api-keys."));
        assertThatThrownBy(() -> agent.reply(turn(), reply()))
                .isInstanceOfSatisfying(ChatAgentException.class, e -> {
                    assertThat(e.code()).isEqualTo("llm_unauthorized");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("OPENAI_API_KEY").doesNotContain("sk-");
                });
    }

    @Test
    void serverErrorsAndUnknownModelsAreToldApart() {
        server.enqueue(OpenAiReplay.error(503, "server_error", null, "The server is overloaded or not ready yet."));
        assertThatThrownBy(() -> agent.reply(turn(), reply()))
                .isInstanceOfSatisfying(ChatAgentException.class, e -> {
                    assertThat(e.code()).isEqualTo("llm_unavailable");
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("503").contains("overloaded");
                });
        server.enqueue(OpenAiReplay.error(404, "invalid_request_error", "model_not_found", "The model `gpt-9` does not exist or you do not have access to it."));
        assertThatThrownBy(() -> agent.reply(turn(), reply()))
                .isInstanceOfSatisfying(ChatAgentException.class, e -> {
                    assertThat(e.code()).isEqualTo("llm_model_not_found");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void aStreamCutMidWayIsRetryableAndKeepsWhatCameBefore() {
        server.enqueue(OpenAiReplay.sse(OpenAiReplay.textBody(List.of("Nice to", " meet"), false)));
        var reply = reply();
        assertThatThrownBy(() -> agent.reply(turn(), reply))
                .isInstanceOfSatisfying(ChatAgentException.class, e -> {
                    assertThat(e.code()).isEqualTo("llm_stream_cut");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(deltas).containsExactly("Nice to", " meet");
    }

    @Test
    void aMalformedChunkIsReported() {
        server.enqueue(OpenAiReplay.sse("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"\n\n"));
        assertThatThrownBy(() -> agent.reply(turn(), reply()))
                .isInstanceOfSatisfying(ChatAgentException.class, e -> {
                    assertThat(e.code()).isEqualTo("llm_bad_response");
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void aSilentServerTimesOut() {
        var slow = agent(Duration.ofMillis(300));
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .headersDelay(3, TimeUnit.SECONDS).body(OpenAiReplay.textBody(List.of("late"), true)).build());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> slow.reply(turn(), reply()))
                .isInstanceOfSatisfying(ChatAgentException.class, e -> {
                    assertThat(e.code()).isEqualTo("llm_timeout");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void stopEndsTheStreamAtTheNextChunkAndKeepsThePartialText() throws Exception {
        var pieces = new ArrayList<String>();
        for (int i = 0; i < 60; i++) pieces.add("word" + i + " ");
        server.enqueue(OpenAiReplay.slowSse(OpenAiReplay.textBody(pieces, true), 200, 20));
        var reply = reply();
        var thread = Thread.ofVirtual().start(() -> {
            try {
                agent.reply(turn(), reply);
            } catch (ChatAgentException e) {
                throw new AssertionError(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (deltas.size() < 3 && System.nanoTime() < deadline) Thread.onSpinWait();
        reply.stop();
        assertThat(thread.join(Duration.ofSeconds(2))).as("the agent returns promptly after stop").isTrue();
        assertThat(reply.stopped()).isTrue();
        assertThat(reply.text()).startsWith("word0 word1 word2 ").doesNotContain("word59");
        assertThat(String.join("", deltas)).isEqualTo(reply.text());
    }
}
