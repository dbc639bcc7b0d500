package dev.labdesk.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatFrameJsonTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Instant T = Instant.parse("2026-12-01T10:15:30Z");

    private static String write(ChatFrame.FromWorker frame) throws Exception {
        return JSON.writerFor(ChatFrame.FromWorker.class).writeValueAsString(frame);
    }

    @Test
    void clientFramesReadFromTheirWireForm() throws Exception {
        var send = JSON.readValue("{\"type\":\"message\",\"client_message_id\":\"c-1\",\"text\":\"hello\"}", ChatFrame.FromClient.class);
        assertThat(send).isEqualTo(new ChatFrame.Send("c-1", "hello"));
        assertThat(JSON.readValue("{\"type\":\"stop\"}", ChatFrame.FromClient.class)).isEqualTo(new ChatFrame.Stop());
        assertThat(JSON.writerFor(ChatFrame.FromClient.class).writeValueAsString(send))
                .isEqualTo("{\"type\":\"message\",\"client_message_id\":\"c-1\",\"text\":\"hello\"}");
    }

    @Test
    void anUnknownTypeIsRefusedByName() {
        assertThatThrownBy(() -> JSON.readValue("{\"type\":\"shout\",\"text\":\"x\"}", ChatFrame.FromClient.class))
                .isInstanceOf(InvalidTypeIdException.class).hasMessageContaining("shout");
    }

    @Test
    void workerFramesRoundTripWithSnakeCaseAndTypeNames() throws Exception {
        var user = ChatMessage.user("m1", "c-1", "I'm Ada", T);
        var reply = ChatMessage.assistant("m2", "c-1", "Nice to meet you", MessageStatus.STOPPED, T);
        var profile = SourcedProfile.EMPTY.with(ProfileField.NAME, "Ada", "m1")
                .with(ProfileField.DATA_TYPES, "CSV tables, images and FASTQ reads", "m1");
        List<ChatFrame.FromWorker> frames = List.of(
                new ChatFrame.History(List.of(user, reply), ChatMode.OFFLINE, profile),
                new ChatFrame.Delta("m2", "c-1", "Nice "),
                new ChatFrame.Delta("m2", null, "to meet you"),
                new ChatFrame.Message(reply),
                ChatFrame.ProfileUpdate.of(profile),
                new ChatFrame.Error("llm_rate_limited", "slow down", true, "c-1"),
                new ChatFrame.Ping());
        for (var frame : frames) {
            var json = write(frame);
            assertThat(JSON.readValue(json, ChatFrame.FromWorker.class)).as(json).isEqualTo(frame);
        }
        assertThat(write(frames.get(1))).isEqualTo("{\"type\":\"delta\",\"message_id\":\"m2\",\"reply_to\":\"c-1\",\"text\":\"Nice \"}");
        assertThat(write(frames.get(2))).isEqualTo("{\"type\":\"delta\",\"message_id\":\"m2\",\"text\":\"to meet you\"}");
        assertThat(write(new ChatFrame.Ping())).isEqualTo("{\"type\":\"ping\"}");
        assertThat(write(frames.get(3))).as("ids before the text").isEqualTo("{\"type\":\"message\",\"message\":{\"id\":\"m2\","
                + "\"role\":\"assistant\",\"reply_to\":\"c-1\",\"status\":\"stopped\",\"time\":\"" + T + "\",\"text\":\"Nice to meet you\"}}");
        var history = JSON.readTree(write(frames.getFirst()));
        assertThat(history.get("mode").asText()).isEqualTo("offline");
        assertThat(history.at("/messages/0/client_message_id").asText()).isEqualTo("c-1");
        assertThat(history.at("/messages/1/status").asText()).isEqualTo("stopped");
        assertThat(history.at("/messages/1/role").asText()).isEqualTo("assistant");
        assertThat(history.at("/profile/sources/data_types").asText()).isEqualTo("m1");
        var update = JSON.readTree(write(frames.get(4)));
        assertThat(update.at("/profile/data_types").toString()).isEqualTo("[\"CSV tables\",\"images\",\"FASTQ reads\"]");
        assertThat(update.at("/sources/name").asText()).isEqualTo("m1");
        assertThat(update.path("profile").has("empty")).as("helpers are not wire fields").isFalse();
    }

    @Test
    void profileFieldsSetAndClearWithTheirSources() {
        var p = SourcedProfile.EMPTY
                .with(ProfileField.RESEARCH_AREA, "protein folding", "m3")
                .with(ProfileField.PREFERRED_COMMUNICATION_STYLE, "brief", "m9");
        assertThat(p.profile().researchArea()).isEqualTo("protein folding");
        assertThat(p.sources()).containsExactly(Map.entry("research_area", "m3"), Map.entry("preferred_communication_style", "m9"));
        var cleared = p.with(ProfileField.RESEARCH_AREA, null, null);
        assertThat(cleared.profile().researchArea()).isNull();
        assertThat(cleared.sources()).containsOnlyKeys("preferred_communication_style");
        for (var f : ProfileField.values()) assertThat(ProfileField.find(f.wire())).contains(f);
        assertThat(ProfileField.NOTES.get(Profile.EMPTY)).isEmpty();
    }

    @Test
    void extractProfileRequestAndResponseRoundTrip() throws Exception {
        var req = JSON.readValue("""
                {"items":[{"user_id":"ada","messages":[{"role":"user","text":"I'm Ada"}]},{"user_id":"bob"}]}
                """, ExtractProfileRequest.class);
        assertThat(req.items()).hasSize(2);
        assertThat(req.items().getFirst().messages().getFirst().role()).isEqualTo(ChatRole.USER);
        assertThat(req.items().get(1).messages()).isNull();

        var resp = new ExtractProfileResponse(ChatMode.LLM, List.of(
                ExtractProfileResponse.Result.ok(0, "ada", SourcedProfile.EMPTY.with(ProfileField.NAME, "Ada", "1")),
                ExtractProfileResponse.Result.failed(1, "bob", new ExtractProfileResponse.ItemError("not_found", "no conversation", false))));
        var json = JSON.writeValueAsString(resp);
        assertThat(JSON.readValue(json, ExtractProfileResponse.class)).isEqualTo(resp);
        assertThat(JSON.readTree(json).at("/results/1/error/code").asText()).isEqualTo("not_found");
    }

    @Test
    void userIdRules() {
        assertThat(ChatRules.validUserId("u0")).isTrue();
        assertThat(ChatRules.validUserId("ada.lovelace_1-2")).isTrue();
        assertThat(ChatRules.validUserId("a".repeat(64))).isTrue();
        assertThat(ChatRules.validUserId("a".repeat(65))).isFalse();
        assertThat(ChatRules.validUserId("")).isFalse();
        assertThat(ChatRules.validUserId("ada lovelace")).isFalse();
        assertThat(ChatRules.validUserId("../etc")).isFalse();
        assertThat(ChatRules.validClientMessageId("ping:0:1")).isTrue();
        assertThat(ChatRules.validClientMessageId("has space")).isFalse();
        assertThat(ChatRules.validClientMessageId("!~" + "x".repeat(ChatRules.CLIENT_MESSAGE_ID_MAX - 2))).isTrue();
        assertThat(ChatRules.validClientMessageId("x".repeat(ChatRules.CLIENT_MESSAGE_ID_MAX + 1))).isFalse();
        assertThat(ChatRules.validClientMessageId("")).isFalse();
        assertThat(ChatRules.validClientMessageId(null)).isFalse();
        assertThat(ChatRules.validClientMessageId("tab\tinside")).isFalse();
        assertThat(ChatRules.validClientMessageId("del\u007F")).isFalse();
        assertThat(ChatRules.validClientMessageId("caf\u00e9")).isFalse();
    }
}
