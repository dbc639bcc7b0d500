package dev.labdesk.worker.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatRules;
import dev.labdesk.model.MessageStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.redis.SharedRedis;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A long conversation's history arrives in frames of at most 1 MiB, in order, from both relays. */
class ChatHistoryFramesTest {
    @RegisterExtension static final SharedRedis redis = new SharedRedis();
    @TempDir Path dataDir;

    @Test
    void aHistoryOf100LongMessagesArrivesInFramesOfAtMost1MiBFromMemory() throws Exception {
        try (var worker = new Worker(WorkerConfig.local(dataDir)).start()) {
            checkPages(worker);
        }
    }

    @Test
    void aHistoryOf100LongMessagesArrivesInFramesOfAtMost1MiBFromRedis() throws Exception {
        try (var worker = new Worker(WorkerConfig.local(dataDir).withRedis(redis.url())).start()) {
            checkPages(worker);
        }
    }

    /** 100 messages of 30,000 characters, two bytes each in UTF-8: about 6 MB of conversation. */
    static List<ChatMessage> seed(Worker worker, String userId) {
        var store = worker.chat().service().store();
        var out = new ArrayList<ChatMessage>();
        var now = Instant.now();
        for (int i = 0; i < 100; i++) {
            var text = i + " " + "é".repeat(30_000);
            var m = i % 2 == 0 ? ChatMessage.user("m" + i, "c" + i, text, now.plusMillis(i))
                    : ChatMessage.assistant("m" + i, "c" + (i - 1), text, MessageStatus.COMPLETE, now.plusMillis(i));
            store.append(userId, m);
            out.add(m);
        }
        return out;
    }

    private static void checkPages(Worker worker) throws Exception {
        var seeded = seed(worker, "long-talk");
        var texts = new LinkedBlockingQueue<String>();
        var http = ChatTestClient.http();
        var ws = http.newWebSocket(new Request.Builder().url(worker.baseUrl().toString().replaceFirst("^http", "ws") + "/chat/long-talk").build(),
                new WebSocketListener() {
                    @Override public void onMessage(WebSocket w, String text) { texts.add(text); }
                    @Override public void onFailure(WebSocket w, Throwable t, Response r) { texts.add("{\"type\":\"failed\"}"); }
                });
        try {
            var ids = new ArrayList<String>();
            int pages = 0;
            while (true) {
                var text = texts.poll(15, TimeUnit.SECONDS);
                assertThat(text).as("a history frame").isNotNull();
                JsonNode frame = ChatTestClient.JSON.readTree(text);
                if (!frame.path("type").asText().equals("history")) continue;
                pages++;
                assertThat(text.getBytes(StandardCharsets.UTF_8).length).as("frame " + pages).isLessThanOrEqualTo(ChatRules.HISTORY_FRAME_MAX_BYTES);
                frame.path("messages").forEach(m -> ids.add(m.path("id").asText()));
                if (!frame.path("more").asBoolean()) {
                    assertThat(frame.path("mode").asText()).isNotEmpty();
                    break;
                }
                assertThat(frame.path("profile").isMissingNode() || frame.path("profile").isNull()).as("the profile comes with the last page").isTrue();
            }
            assertThat(pages).as("6 MB do not fit one frame").isGreaterThanOrEqualTo(6);
            assertThat(ids).containsExactlyElementsOf(seeded.stream().map(ChatMessage::id).toList());
        } finally {
            ws.close(1000, "done");
            http.dispatcher().executorService().shutdown();
        }
    }
}
