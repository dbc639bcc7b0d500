package dev.labdesk.worker.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.testing.Caller;
import dev.labdesk.worker.testing.TestPrincipals;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conversation is its user's: a real WebSocket client signed in as bob is refused {@code /chat/ada}
 * before the upgrade, and {@code POST /extract-profile} answers bob's items about ada with an error
 * while it answers the rest.
 */
class ChatOwnershipTest {
    @TempDir Path dataDir;
    private Worker worker;
    private final OkHttpClient ws = ChatTestClient.http();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir).withAuth(TestPrincipals.auth())).start();
    }

    @AfterEach
    void stop() {
        worker.close();
        ws.dispatcher().executorService().shutdownNow();
        http.close();
    }

    /** The refused upgrade as the client saw it: status, content type and body of the HTTP answer. */
    private record Refusal(int status, String contentType, JsonNode body) {}

    private Refusal refusedUpgrade(String userId, String key) throws Exception {
        var refused = new CompletableFuture<Refusal>();
        var request = new Request.Builder().url(worker.baseUrl().toString().replaceFirst("^http", "ws") + "/chat/" + userId)
                .header("Authorization", "Bearer " + key).build();
        ws.newWebSocket(request, new WebSocketListener() {
            @Override
            public void onOpen(WebSocket socket, Response response) {
                refused.completeExceptionally(new AssertionError("the upgrade to /chat/" + userId + " was accepted"));
                socket.cancel();
            }

            @Override
            public void onFailure(WebSocket socket, Throwable t, Response response) {
                if (response == null) {
                    refused.completeExceptionally(t);
                    return;
                }
                try {
                    refused.complete(new Refusal(response.code(), response.header("Content-Type"),
                            ChatTestClient.JSON.readTree(response.body().string())));
                } catch (Exception e) {
                    refused.completeExceptionally(e);
                }
            }
        });
        return refused.get(15, TimeUnit.SECONDS);
    }

    private ChatTestClient connect(String userId, String key) throws Exception {
        var c = new ChatTestClient(ws, worker.baseUrl(), userId, key);
        c.opened.get(15, TimeUnit.SECONDS);
        return c;
    }

    /** ada tells the offline interview her name over her own socket: a stored conversation with a profile to extract. */
    private void adaChats() throws Exception {
        try (var c = connect("ada", TestPrincipals.ADA)) {
            c.next("history");
            c.message("a1", "hi");
            c.answer("a1");
            c.message("a2", "Ada Lovelace");
            c.answer("a2");
        }
    }

    @Test
    void bobIsRefusedAdasChatBeforeTheUpgradeWhileHisOwnChatWorks() throws Exception {
        adaChats();
        var refusal = refusedUpgrade("ada", TestPrincipals.BOB);
        assertThat(refusal.status()).isEqualTo(403);
        assertThat(refusal.contentType()).startsWith("application/problem+json");
        assertThat(refusal.body().path("detail").asText()).as(refusal.toString()).contains("bob").doesNotContain("Lovelace");

        try (var c = connect("bob", TestPrincipals.BOB)) {
            assertThat(c.next("history").path("messages")).isEmpty();
            c.message("b1", "hi");
            assertThat(c.answer("b1").text()).contains("what's your name?");
        }
        assertThat(worker.chat().service().store().history("ada")).as("ada's conversation is as she left it").hasSize(4);
    }

    @Test
    void anAdminMayOpenAnyUsersChat() throws Exception {
        adaChats();
        try (var c = connect("ada", TestPrincipals.ROOT)) {
            assertThat(c.next("history").path("messages")).hasSize(4);
        }
    }

    @Test
    void extractProfileAnswersTheCallersItemsAndRefusesItemsNamingSomeoneElse() throws Exception {
        adaChats();
        try (var c = connect("bob", TestPrincipals.BOB)) {
            c.next("history");
            c.message("b1", "hi");
            c.answer("b1");
            c.message("b2", "Bob Dylan");
            c.answer("b2");
        }
        var bob = new Caller(http, worker.baseUrl(), TestPrincipals.BOB);
        var r = bob.postJson("/extract-profile", """
                {"items": [
                  {"user_id": "ada"},
                  {"user_id": "bob"},
                  {"user_id": "ada", "messages": [
                    {"role": "assistant", "text": "Hello! What's your name?"},
                    {"role": "user", "text": "My name is Rosalind Franklin"}
                  ]},
                  {"user_id": "nobody-at-all"}
                ]}
                """);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var results = ChatTestClient.JSON.readTree(r.body()).path("results");
        assertThat(results).hasSize(4);
        assertThat(results.get(0).at("/error/code").asText()).isEqualTo("forbidden");
        assertThat(results.get(0).has("profile")).isFalse();
        assertThat(results.get(1).at("/profile/name").asText()).isEqualTo("Bob Dylan");
        assertThat(results.get(2).at("/profile/name").asText()).as("posted messages are the caller's to send").isEqualTo("Rosalind Franklin");
        assertThat(results.get(3).at("/error/code").asText()).as("whether a conversation exists is not told").isEqualTo("forbidden");

        for (var key : new String[] {TestPrincipals.ADA, TestPrincipals.ROOT}) {
            var own = new Caller(http, worker.baseUrl(), key).postJson("/extract-profile", "{\"items\": [{\"user_id\": \"ada\"}]}");
            assertThat(own.statusCode()).isEqualTo(200);
            assertThat(ChatTestClient.JSON.readTree(own.body()).at("/results/0/profile/name").asText()).isEqualTo("Ada Lovelace");
        }
    }
}
