package dev.labdesk.worker.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chat WebSocket of a real worker in offline mode, over 127.0.0.1. */
class ChatWebSocketTest {
    @TempDir Path dataDir;
    private Worker worker;
    private final OkHttpClient http = ChatTestClient.http();

    @BeforeEach
    void start() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        worker.close();
        http.dispatcher().executorService().shutdownNow();
    }

    private ChatTestClient connect(String userId) throws Exception {
        var c = new ChatTestClient(http, worker.baseUrl(), userId);
        c.opened.get(15, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void theInterviewStreamsQuestionsAndFillsTheProfileFromTheAnswers() throws Exception {
        try (var c = connect("ada")) {
            var history = c.next("history");
            assertThat(history.path("mode").asText()).isEqualTo("offline");
            assertThat(history.path("messages")).isEmpty();

            c.message("c1", "Hello!");
            var first = c.answer("c1");
            assertThat(first.frame().path("status").asText()).isEqualTo("complete");
            assertThat(first.text()).contains("what's your name?");
            assertThat(first.streamed()).as("a reply the offline agent has at once goes out whole, as the message alone").isEmpty();
            assertThat(c.seen.stream().filter(f -> f.path("type").asText().equals("delta")).count()).isZero();

            c.message("c2", "I'm Ada Lovelace, nice to meet you");
            var profile = c.next("profile");
            assertThat(profile.at("/profile/name").asText()).isEqualTo("Ada Lovelace");
            assertThat(profile.at("/sources/name").asText()).isEqualTo("c2");
            assertThat(c.answer("c2").text()).contains("Ada Lovelace").contains("role");

            c.message("c3", "I'm a postdoc at the European Molecular Biology Laboratory");
            profile = c.next("profile");
            assertThat(profile.at("/profile/role").asText()).isEqualTo("postdoc");
            assertThat(profile.at("/profile/organisation").asText()).isEqualTo("European Molecular Biology Laboratory");
            assertThat(profile.at("/sources/organisation").asText()).isEqualTo("c3");
            assertThat(c.answer("c3").text()).as("organisation known: next is the research area").contains("research area");

            c.message("c4", "I study protein folding in yeast.");
            c.answer("c4");
            c.message("c5", "I want to find which mutations slow growth");
            c.answer("c5");
            c.message("c6", "Fairly comfortable, I use R a bit");
            c.answer("c6");
            c.message("c7", "Mostly CSV files from the plate reader and some microscopy images");
            c.answer("c7");
            c.message("c8", "Keep it brief and technical please");
            c.answer("c8");
            c.message("c9", "no");
            var last = c.answer("c9");
            assertThat(last.text()).contains("That's everything I need").contains("Research area: protein folding in yeast");

            var stored = worker.chat().service().store().profile("ada");
            var p = stored.profile();
            assertThat(p.researchArea()).isEqualTo("protein folding in yeast");
            assertThat(p.goals()).isEqualTo("Find which mutations slow growth");
            assertThat(p.experienceLevel()).isEqualTo("intermediate");
            assertThat(p.dataTypes()).containsExactly("CSV tables", "images", "plate reader measurements");
            assertThat(p.preferredCommunicationStyle()).isEqualTo("concise, technical");
            assertThat(p.notes()).isNull();
            assertThat(stored.sources()).containsEntry("goals", "c5").containsEntry("data_types", "c7").containsEntry("experience_level", "c6");
        }
        try (var again = connect("ada")) {
            var history = again.next("history");
            assertThat(history.path("messages")).hasSize(18);
            assertThat(history.at("/profile/profile/name").asText()).isEqualTo("Ada Lovelace");
        }
    }

    @Test
    void resendingAClientMessageIdNeverProducesASecondAnswer() throws Exception {
        try (var c = connect("bob")) {
            c.next("history");
            c.message("same", "hi");
            var first = c.answer("same");
            c.message("same", "hi");
            var again = c.next("message");
            assertThat(again.path("message")).isEqualTo(first.frame());
            c.message("other", "Bob");
            c.answer("other");
            assertThat(c.seen.stream().filter(f -> f.path("type").asText().equals("message")
                    && f.at("/message/reply_to").asText().equals("same")).count()).as("the answer, then the stored answer again").isEqualTo(2);
        }
        try (var c = connect("bob")) {
            var messages = c.next("history").path("messages");
            assertThat(messages).hasSize(4);
            assertThat(messages.get(0).path("client_message_id").asText()).isEqualTo("same");
            assertThat(messages.get(2).path("client_message_id").asText()).isEqualTo("other");
        }
    }

    /**
     * An offline reply has no deltas, so a socket that joins while replies are being written must get
     * each of them from its history or as a live message, never both and never neither.
     */
    @Test
    void aSocketJoiningWhileWholeRepliesAreSentGetsEachReplyExactlyOnce() throws Exception {
        int rounds = 40;
        try (var sender = connect("zoe")) {
            sender.next("history");
            for (int i = 0; i < rounds; i++) {
                sender.message("z" + i, "answer " + i);
                try (var watcher = connect("zoe")) { // joins while the reply to z{i} may be in flight
                    var history = watcher.next("history").path("messages");
                    assertThat(sender.answer("z" + i).text()).isNotBlank();
                    // An edit goes through the same per-user lock after the reply was relayed, so its
                    // profile frame comes after any live frame of that reply on the watcher's socket.
                    watcher.send("{\"type\":\"profile_edit\",\"field\":\"notes\",\"value\":\"round " + i + "\"}");
                    var round = "round " + i;
                    watcher.next(f -> f.path("type").asText().equals("profile") && f.at("/profile/notes").asText().equals(round));
                    var replies = new ArrayList<String>();
                    for (var m : history) if (m.path("role").asText().equals("assistant")) replies.add(m.path("reply_to").asText());
                    for (var f : watcher.seen)
                        if (f.path("type").asText().equals("message") && f.at("/message/role").asText().equals("assistant"))
                            replies.add(f.at("/message/reply_to").asText());
                    var expected = new ArrayList<String>();
                    for (int k = 0; k <= i; k++) expected.add("z" + k);
                    assertThat(replies).as("round %d: every reply once, in order", i).isEqualTo(expected);
                    assertThat(watcher.seen).noneMatch(f -> f.path("type").asText().equals("delta"));
                }
            }
        }
    }

    @Test
    void everyBadFrameGetsAnErrorAndTheConnectionStaysUsable() throws Exception {
        try (var c = connect("carol")) {
            c.next("history");
            c.send("this is not json");
            assertThat(c.next("error").path("code").asText()).isEqualTo("bad_frame");
            c.send("[1,2,3]");
            assertThat(c.next("error").path("code").asText()).isEqualTo("bad_frame");
            c.send("{\"text\":\"no type\"}");
            assertThat(c.next("error").path("code").asText()).isEqualTo("bad_frame");
            c.send("{\"type\":\"shout\",\"text\":\"x\"}");
            var unknown = c.next("error");
            assertThat(unknown.path("code").asText()).isEqualTo("unknown_type");
            assertThat(unknown.path("message").asText()).contains("shout");
            c.send("{\"type\":\"message\",\"client_message_id\":\"e1\",\"text\":\"   \"}");
            assertThat(c.next("error").path("code").asText()).isEqualTo("empty_text");
            c.send("{\"type\":\"message\",\"client_message_id\":\"e2\"}");
            assertThat(c.next("error").path("code").asText()).isEqualTo("empty_text");
            c.send("{\"type\":\"message\",\"client_message_id\":\"has space\",\"text\":\"x\"}");
            assertThat(c.next("error").path("code").asText()).isEqualTo("bad_client_message_id");
            c.send("{\"type\":\"message\",\"client_message_id\":\"e3\",\"text\":\"" + "x".repeat(2 * 1024 * 1024 + 10) + "\"}");
            var big = c.next("error");
            assertThat(big.path("code").asText()).isEqualTo("frame_too_large");
            assertThat(big.path("retryable").asBoolean()).isFalse();
            c.send("{\"type\":\"message\",\"client_message_id\":\"e4\",\"text\":\"" + "y".repeat(40_000) + "\"}");
            assertThat(c.next("error").path("code").asText()).isEqualTo("text_too_long");
            c.sendBinary(new byte[] {1, 2, 3});
            assertThat(c.next("error").path("code").asText()).isEqualTo("bad_frame");
            c.send("{\"type\":\"stop\"}"); // nothing to stop: harmless

            c.message("ok", "Carol here");
            assertThat(c.answer("ok").text()).contains("name");
        }
        try (var c = connect("carol")) {
            assertThat(c.next("history").path("messages")).as("only the good message and its reply were kept").hasSize(2);
        }
    }

    @Test
    void aFieldEditedByHandReachesEverySocketWithoutASourceAndIsNotAskedAgain() throws Exception {
        try (var a = connect("erin"); var b = connect("erin")) {
            a.next("history");
            b.next("history");
            a.message("n1", "Hello");
            a.answer("n1");
            a.message("n2", "I'm Erin Fox");
            assertThat(a.next("profile").at("/sources/name").asText()).isEqualTo("n2");
            a.answer("n2"); // asks for the role next

            a.send("{\"type\":\"profile_edit\",\"field\":\"name\",\"value\":\"  Erin F. Fox \"}");
            a.send("{\"type\":\"profile_edit\",\"field\":\"role\",\"value\":\"lab technician\"}");
            for (var c : List.of(a, b)) {
                var role = c.next(f -> f.path("type").asText().equals("profile") && f.at("/profile/role").asText().equals("lab technician"));
                assertThat(role.at("/profile/name").asText()).isEqualTo("Erin F. Fox");
                assertThat(role.path("sources").has("name")).as("set by hand: no source message").isFalse();
                assertThat(role.path("sources").has("role")).isFalse();
            }
            a.message("n3", "skip");
            assertThat(a.answer("n3").text()).as("role known by the edit: not asked").doesNotContain("your role").contains("organisation");

            a.send("{\"type\":\"profile_edit\",\"field\":\"shoe_size\",\"value\":\"44\"}");
            var unknown = a.next("error");
            assertThat(unknown.path("code").asText()).isEqualTo("bad_profile_field");
            assertThat(unknown.path("message").asText()).contains("shoe_size").contains("research_area");
            a.send("{\"type\":\"profile_edit\",\"field\":\"goals\",\"value\":\"" + "g".repeat(301) + "\"}");
            assertThat(a.next("error").path("code").asText()).isEqualTo("profile_value_too_long");
            a.send("{\"type\":\"profile_edit\",\"field\":[1],\"value\":\"x\"}");
            assertThat(a.next("error").path("message").asText()).contains("profile_edit");
            a.send("{\"type\":\"profile_edit\",\"field\":\"role\",\"value\":null}");
            assertThat(a.next(f -> f.path("type").asText().equals("profile") && f.at("/profile/role").isMissingNode()
                    || f.path("type").asText().equals("profile") && f.at("/profile/role").isNull())).isNotNull();
        }
        try (var c = connect("erin")) {
            var history = c.next("history");
            assertThat(history.at("/profile/profile/name").asText()).isEqualTo("Erin F. Fox");
            assertThat(history.at("/profile/profile/role").isMissingNode() || history.at("/profile/profile/role").isNull()).isTrue();
            assertThat(history.at("/profile/profile/organisation").isMissingNode() || history.at("/profile/profile/organisation").isNull())
                    .as("'skip' answered the organisation question").isTrue();
        }
    }

    @Test
    void badUserIdsAreRefusedBeforeTheUpgrade() {
        for (var bad : List.of("a".repeat(65), "has%20space", "semi;colon", "%C3%A9")) {
            var c = new ChatTestClient(http, worker.baseUrl(), bad);
            assertThatThrownBy(() -> c.opened.get(15, TimeUnit.SECONDS)).as(bad)
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("failed 422");
        }
    }

    @Test
    void tenConcurrentConversationsEachGetTheirOwnAnswersAndHistory() throws Exception {
        int n = 10;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<java.util.concurrent.Future<JsonNode>>();
            for (int i = 0; i < n; i++) {
                int u = i;
                futures.add(pool.submit(() -> {
                    try (var c = connect("user" + u)) {
                        c.next("history");
                        c.message("a", "hello");
                        c.answer("a");
                        c.message("b", "My name is Person" + u);
                        c.answer("b");
                        c.message("c", "I'm a researcher at Lab" + u);
                        c.answer("c");
                        return worker.chat().service().store().history("user" + u).isEmpty() ? null
                                : ChatTestClient.JSON.valueToTree(worker.chat().service().store().profile("user" + u));
                    }
                }));
            }
            for (int i = 0; i < n; i++) {
                var profile = futures.get(i).get(60, TimeUnit.SECONDS);
                assertThat(profile.at("/profile/name").asText()).isEqualTo("Person" + i);
                assertThat(profile.at("/profile/role").asText()).isEqualTo("researcher");
                assertThat(profile.at("/profile/organisation").asText()).isEqualTo("Lab" + i);
                var history = worker.chat().service().store().history("user" + i);
                assertThat(history).hasSize(6);
                assertThat(history.get(2).text()).isEqualTo("My name is Person" + i);
            }
        }
    }
}
