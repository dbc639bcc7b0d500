package dev.labdesk.worker.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labdesk.worker.testing.Eventually;
import dev.labdesk.worker.testing.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of a worker while many users chat in a closed loop over the durable store, whose
 * user messages wait for their reply's commit rather than one of their own: after the restart every
 * message the worker acknowledged (its reply went out) is in the history with that reply, in the
 * order sent, once, and no stored reply lacks its message.
 */
class AcknowledgedChatSurvivesKillTest {
    private static final int USERS = 40;
    /** Turns per user at most: 120 messages, within a conversation's bound of 200, so none is dropped by it. */
    private static final int TURNS = 60;

    @TempDir Path dir;

    @Test
    void everyAnsweredMessageAndItsReplySurviveAKillMidConversationAndNoReplyOutlivesItsMessage() throws Exception {
        var data = dir.resolve("data");
        int port = WorkerProcess.freePort();
        var http = ChatTestClient.http();
        Map<String, List<String>> answered = new ConcurrentHashMap<>();
        var total = new AtomicInteger();
        try (var first = WorkerProcess.start(data, port, Map.of(), dir.resolve("first.log"));
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int u = 0; u < USERS; u++) {
                var user = "k" + u;
                answered.put(user, new ArrayList<>());
                pool.submit(() -> {
                    var client = new ChatTestClient(http, first.baseUrl(), user);
                    try {
                        client.next("history");
                        for (int i = 0; i < TURNS; i++) {
                            var id = user + "-" + i;
                            client.message(id, "answer " + i);
                            var answer = client.answer(id);
                            if (!answer.frame().path("role").asText().equals("assistant")) break; // an error frame: not acknowledged
                            answered.get(user).add(id);
                            total.incrementAndGet();
                        }
                    } catch (AssertionError | RuntimeException killed) {
                        // the socket closed under it: what was acknowledged until then is what counts
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        client.cancel();
                    }
                    return null;
                });
            }
            Eventually.within(Duration.ofSeconds(60), "answered before the kill", () -> total.get() >= USERS * TURNS / 3);
            first.killHard(); // mid-loop: messages and replies are on their way to the database
        }
        assertThat(total.get()).as("some conversations were cut before their end").isLessThan(USERS * TURNS);

        try (var second = WorkerProcess.start(data, port, Map.of(), dir.resolve("second.log"))) {
            for (int u = 0; u < USERS; u++) {
                var user = "k" + u;
                var history = new ArrayList<JsonNode>();
                var client = new ChatTestClient(http, second.baseUrl(), user);
                try {
                    client.next("history").get("messages").forEach(history::add);
                } finally {
                    client.close();
                }
                var sent = new ArrayList<String>();
                var answeredHere = new HashSet<String>();
                for (var m : history) {
                    if (m.path("role").asText().equals("user")) {
                        sent.add(m.path("client_message_id").asText());
                    } else {
                        var to = m.path("reply_to").asText();
                        assertThat(sent).as("%s: the reply %s follows its message", user, m.path("id").asText()).contains(to);
                        assertThat(answeredHere.add(to)).as("%s: one reply to %s", user, to).isTrue();
                    }
                }
                var acknowledged = answered.get(user);
                assertThat(sent).as("%s: every acknowledged message, in order, once", user).startsWith(acknowledged.toArray(String[]::new));
                assertThat(sent).as(user).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(acknowledged.size() + 1); // at most the one in flight
                assertThat(answeredHere).as("%s: every acknowledged reply", user).containsAll(acknowledged);
            }
        }
    }
}
