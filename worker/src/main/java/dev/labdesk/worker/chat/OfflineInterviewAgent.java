package dev.labdesk.worker.chat;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The onboarding agent without a model: a guided interview ({@link Interview}) whose answers fill the
 * profile. Each turn reads only the new message (the answer to the question asked just before it)
 * into the stored profile, so a turn costs the same at message 5 and at message 500. Replies are
 * streamed in sentence-sized deltas, the way a model's output arrives, so clients treat both modes
 * alike; {@code pause} spaces the deltas (zero in the worker: the text is ready at once).
 */
public final class OfflineInterviewAgent implements ChatAgent {
    /** A delta ends after a sentence or line, or once it is about this long. */
    private static final int DELTA_CHARS = 80;
    private final Duration pause;

    public OfflineInterviewAgent(Duration pause) {
        this.pause = pause;
    }

    @Override
    public ChatMode mode() {
        return ChatMode.OFFLINE;
    }

    @Override
    public boolean answersAtOnce() {
        return pause.isZero();
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
        for (var chunk : chunks(text)) {
            if (reply.stopped()) return;
            reply.delta(chunk);
            if (!pause.isZero()) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** No assistant message before this one: the conversation starts here. */
    private static boolean firstTurn(List<ChatMessage> history, int at) {
        for (int i = at - 1; i >= 0; i--) if (!history.get(i).fromUser()) return false;
        return true;
    }

    /** Splits {@code text} after sentence ends and line breaks, and at word breaks once a piece is long. */
    static List<String> chunks(String text) {
        var out = new ArrayList<String>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean atBreak = i + 1 < text.length() && Character.isWhitespace(text.charAt(i + 1)) && ".!?:".indexOf(c) >= 0;
            boolean longAtSpace = c == ' ' && i - start >= DELTA_CHARS;
            if (c == '\n' || longAtSpace || atBreak) {
                int end = c == '\n' || longAtSpace ? i + 1 : i + 2; // keep the break with this piece
                while (end < text.length() && text.charAt(end) == '\n') end++;
                out.add(text.substring(start, Math.min(end, text.length())));
                start = Math.min(end, text.length());
                i = start - 1;
            }
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }
}
