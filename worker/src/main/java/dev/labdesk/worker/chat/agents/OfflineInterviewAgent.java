package dev.labdesk.worker.chat.agents;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;

import java.util.List;
import java.util.Optional;

/**
 * The onboarding agent without a model: a guided interview ({@link Interview}) whose answers fill the
 * profile. Each turn reads only the new message (the answer to the question asked just before it)
 * into the stored profile, so a turn costs the same at message 5 and at message 500. The reply
 * exists whole at once, so it goes out as the final message alone (see {@link ChatAgent#answersAtOnce}):
 * streaming text that is already there would only cost every client and the worker more frames.
 */
public final class OfflineInterviewAgent implements ChatAgent {

    @Override
    public ChatMode mode() {
        return ChatMode.OFFLINE;
    }

    @Override
    public boolean answersAtOnce() {
        return true;
    }

    @Override
    public void reply(Turn turn, Reply reply) {
        var history = turn.history();
        int at = history.size() - 1;
        var previous = at > 0 ? history.get(at - 1) : null;
        Optional<Interview.Question> pending = previous != null && !previous.fromUser() && previous.text() != null
                ? Interview.askedIn(previous.text()) : Optional.empty();
        var before = turn.profile();
        var after = Interview.absorb(before, pending, turn.message());
        if (!after.equals(before)) reply.profile(after);
        var next = Interview.next(after, Interview.asked(history, after));
        var text = Interview.replyText(after, next, Interview.describe(before, after), firstTurn(history, at),
                pending.isPresent() && next.isEmpty());
        if (!reply.stopped()) reply.delta(text);
    }

    /** No assistant message before this one: the conversation starts here. */
    private static boolean firstTurn(List<ChatMessage> history, int at) {
        for (int i = at - 1; i >= 0; i--) if (!history.get(i).fromUser()) return false;
        return true;
    }
}
