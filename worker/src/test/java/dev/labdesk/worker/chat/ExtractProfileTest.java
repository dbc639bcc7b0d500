package dev.labdesk.worker.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import mockwebserver3.MockWebServer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /extract-profile} over real HTTP, offline and with a model (structured outputs). */
class ExtractProfileTest {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    @TempDir Path dataDir;
    private Worker worker;
    private final OkHttpClient http = ChatTestClient.http();

    @AfterEach
    void stop() {
        if (worker != null) worker.close();
        http.dispatcher().executorService().shutdownNow();
    }

    private record Answer(int code, String contentType, JsonNode body) {}

    private Answer post(String json) throws Exception {
        var request = new Request.Builder().url(worker.baseUrl() + "/extract-profile").post(RequestBody.create(json, JSON_TYPE)).build();
        try (var response = http.newCall(request).execute()) {
            return new Answer(response.code(), response.header("Content-Type"), ChatTestClient.JSON.readTree(response.body().string()));
        }
    }

    @Test
    void offlineABatchGivesOneResultPerItemAndABadItemFailsOnlyItself() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
        try (var c = new ChatTestClient(http, worker.baseUrl(), "stored")) {
            c.opened.get(15, TimeUnit.SECONDS);
            c.next("history");
            c.message("s1", "hi");
            c.answer("s1");
            c.message("s2", "Grace Hopper");
            c.answer("s2");
        }
        var answer = post("""
                {"items": [
                  {"user_id": "posted", "messages": [
                    {"role": "assistant", "text": "Hello! What's your name?"},
                    {"role": "user", "text": "My name is Rosalind Franklin"},
                    {"role": "assistant", "text": "What is your research area?"},
                    {"role": "user", "text": "X-ray crystallography of DNA"},
                    {"role": "assistant", "text": "How experienced are you with data analysis?"},
                    {"role": "user", "text": "I'd say advanced, I've done this for 10 years"}
                  ]},
                  {"user_id": "stored"},
                  {"user_id": "nobody-here"},
                  {"user_id": "bad id!"},
                  {},
                  {"messages": [{"role": "user"}]},
                  {"messages": [{"role": "user", "text": "I'm a lab technician at the Crick"}]}
                ]}
                """);
        assertThat(answer.code()).isEqualTo(200);
        var body = answer.body();
        assertThat(body.path("mode").asText()).isEqualTo("offline");
        var results = body.path("results");
        assertThat(results).hasSize(7);
        for (int i = 0; i < 7; i++) assertThat(results.get(i).path("index").asInt()).isEqualTo(i);

        var posted = results.get(0);
        assertThat(posted.at("/profile/name").asText()).isEqualTo("Rosalind Franklin");
        assertThat(posted.at("/profile/research_area").asText()).isEqualTo("X-ray crystallography of DNA");
        assertThat(posted.at("/profile/experience_level").asText()).isEqualTo("advanced");
        assertThat(posted.at("/sources/name").asText()).as("posted messages are named by position").isEqualTo("1");
        assertThat(posted.at("/sources/experience_level").asText()).isEqualTo("5");

        assertThat(results.get(1).at("/profile/name").asText()).isEqualTo("Grace Hopper");
        assertThat(results.get(1).at("/sources/name").asText()).isEqualTo("s2");
        assertThat(results.get(2).at("/error/code").asText()).isEqualTo("not_found");
        assertThat(results.get(3).at("/error/code").asText()).isEqualTo("invalid_user_id");
        assertThat(results.get(4).at("/error/code").asText()).isEqualTo("invalid_item");
        assertThat(results.get(5).at("/error/code").asText()).isEqualTo("invalid_message");
        assertThat(results.get(6).at("/profile/role").asText()).isEqualTo("lab technician");
        assertThat(results.get(6).at("/profile/organisation").asText()).isEqualTo("Crick");
        assertThat(results.get(6).has("error")).isFalse();
    }

    @Test
    void limitsAreClearProblemDocuments() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
        var tooMany = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 101; i++) tooMany.append(i == 0 ? "" : ",").append("{\"user_id\":\"u").append(i).append("\"}");
        var answer = post(tooMany.append("]}").toString());
        assertThat(answer.code()).isEqualTo(422);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().at("/errors/0/field").asText()).isEqualTo("items");
        assertThat(answer.body().at("/errors/0/message").asText()).contains("100");

        answer = post("{\"items\":[{\"messages\":[{\"role\":\"user\",\"text\":\"ok\"},{\"role\":\"user\",\"text\":\"" + "x".repeat(32_001) + "\"}]}]}");
        assertThat(answer.code()).isEqualTo(422);
        assertThat(answer.body().at("/errors/0/field").asText()).isEqualTo("items[0].messages[1].text");

        answer = post("{\"items\":[]}");
        assertThat(answer.code()).isEqualTo(422);
        answer = post("{\"nothing\": true}");
        assertThat(answer.code()).isEqualTo(422);
        assertThat(answer.body().at("/errors/0/field").asText()).isEqualTo("items");
        answer = post("not json at all");
        assertThat(answer.code()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void withAModelStructuredOutputsFillTheProfileAndAFailedItemStaysItsOwn() throws Exception {
        try (var model = new MockWebServer()) {
            model.start();
            worker = new Worker(WorkerConfig.local(dataDir).withOpenAi("sk-test", URI.create(model.url("/v1").toString()), "gpt-4o-mini")).start();
            var profileReply = OpenAiReplay.completion("""
                    {"name":{"value":"Barbara McClintock","source_message_id":"1"},
                     "role":{"value":"PI","source_message_id":"3"},
                     "organisation":{"value":"Cold Spring Harbor Laboratory","source_message_id":"3"},
                     "research_area":{"value":"maize cytogenetics","source_message_id":"not-a-message"},
                     "goals":{"value":"","source_message_id":""},
                     "experience_level":{"value":"advanced","source_message_id":"3"},
                     "data_types":{"value":"microscopy images, breeding records","source_message_id":"3"},
                     "preferred_communication_style":{"value":"","source_message_id":""},
                     "notes":{"value":"","source_message_id":""}}
                    """);
            // Items run in parallel, so the server answers by content: Barbara's conversation gets the
            // structured reply, the other one a 429.
            model.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                    return request.getBody().utf8().contains("Barbara") ? profileReply : OpenAiReplay.rateLimited();
                }
            });
            var answer = post("""
                    {"items": [
                      {"messages": [{"role":"assistant","text":"Hi, who are you?"},{"role":"user","text":"Barbara McClintock"},
                                    {"role":"assistant","text":"And your work?"},{"role":"user","text":"I run a maize cytogenetics lab at Cold Spring Harbor"}]},
                      {"messages": [{"role":"user","text":"hello"}]}
                    ]}
                    """);
            assertThat(answer.code()).isEqualTo(200);
            var results = answer.body().path("results");
            assertThat(answer.body().path("mode").asText()).isEqualTo("llm");
            var ok = results.get(0);
            var failed = results.get(1);
            assertThat(ok.at("/profile/name").asText()).isEqualTo("Barbara McClintock");
            assertThat(ok.at("/profile/data_types").toString()).isEqualTo("[\"microscopy images\",\"breeding records\"]");
            assertThat(ok.at("/profile/goals").isMissingNode()).isTrue();
            assertThat(ok.at("/sources/organisation").asText()).isEqualTo("3");
            assertThat(ok.at("/sources/research_area").isMissingNode()).as("a source that names no user message is dropped").isTrue();
            assertThat(failed.at("/error/code").asText()).isEqualTo("llm_rate_limited");
            assertThat(failed.at("/error/retryable").asBoolean()).isTrue();

            JsonNode schemaRequest = null;
            for (int i = 0; i < 2; i++) {
                var body = ChatTestClient.JSON.readTree(model.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
                if (body.at("/messages/1/content").asText().contains("Barbara")) schemaRequest = body;
            }
            assertThat(schemaRequest).isNotNull();
            assertThat(schemaRequest.at("/response_format/type").asText()).isEqualTo("json_schema");
            assertThat(schemaRequest.at("/response_format/json_schema/strict").asBoolean()).isTrue();
            var properties = schemaRequest.at("/response_format/json_schema/schema/properties");
            assertThat(properties.has("research_area")).isTrue();
            assertThat(properties.has("preferred_communication_style")).isTrue();
            assertThat(schemaRequest.at("/messages/1/content").asText()).contains("[1] user: Barbara McClintock");
        }
    }
}
