package dev.labdesk.worker.chat;

import dev.labdesk.worker.chat.agents.Turn;

import com.fasterxml.jackson.databind.JsonNode;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * A model that follows a script, one turn per chat.completions request, for {@link mockwebserver3.MockWebServer}:
 * each turn reads the request (what the client sent back: the tool results) and answers in OpenAI's format
 * ({@link OpenAiReplay}), so a turn can depend on what the previous tool call returned. A turn whose
 * expectation fails answers HTTP 500 and is kept in {@link #failures()} for the test to assert on.
 */
public final class ScriptedModel extends Dispatcher {
    /** One answer of the model, given the request's JSON body. */
    public interface Turn {
        MockResponse reply(JsonNode request) throws Exception;
    }

    private final Deque<Turn> turns;
    private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

    public ScriptedModel(List<Turn> turns) {
        this.turns = new ArrayDeque<>(turns);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        JsonNode body;
        try {
            body = ChatTestClient.JSON.readTree(request.getBody().utf8());
        } catch (Exception e) {
            failures.add(e);
            return OpenAiReplay.error(400, "invalid_request_error", null, "not JSON: " + e.getMessage());
        }
        requests.add(body);
        Turn turn;
        synchronized (turns) {
            turn = turns.poll();
        }
        if (turn == null) {
            failures.add(new AssertionError("the script has no turn left for request " + requests.size()));
            return OpenAiReplay.error(500, "server_error", null, "the script is over");
        }
        try {
            return turn.reply(body);
        } catch (Throwable t) {
            failures.add(t);
            return OpenAiReplay.error(500, "server_error", null, "the script's expectation failed: " + t.getMessage());
        }
    }

    /** The content of the request's last message (a tool result when the model called a function). */
    public static String lastContent(JsonNode request) {
        var messages = request.path("messages");
        return messages.get(messages.size() - 1).path("content").asText();
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public List<Throwable> failures() {
        return List.copyOf(failures);
    }
}
