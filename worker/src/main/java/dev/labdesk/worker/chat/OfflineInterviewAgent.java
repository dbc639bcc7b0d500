package dev.labdesk.worker.chat;

import dev.labdesk.model.ChatMode;
import dev.labdesk.model.ProfileField;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The onboarding agent without a model: a guided interview ({@link Interview}) whose answers fill the
 * profile. Its replies are streamed word by word as deltas, the way a model's tokens arrive, so
 * clients treat both modes alike; {@code pause} spaces the deltas (zero in the worker: the text is
 * ready at once and clients should not wait for it).
 */
public final class OfflineInterviewAgent implements ChatAgent {
    private static final Pattern WORDS = Pattern.compile("(?<=\\s)(?=\\S)");
    private final Duration pause;

    public OfflineInterviewAgent(Duration pause) {
        this.pause = pause;
    }

    @Override
    public ChatMode mode() {
        return ChatMode.OFFLINE;
    }

    @Override
    public void reply(Turn turn, Reply reply) {
        var messages = turn.history();
        var state = Interview.replay(messages, dev.labdesk.model.SourcedProfile.EMPTY);
        var merged = mergeKept(turn, state);
        if (!merged.equals(turn.profile())) reply.profile(merged);
        boolean first = messages.stream().filter(m -> m.fromUser()).count() == 1
                && messages.stream().noneMatch(m -> !m.fromUser());
        var text = Interview.replyText(new Interview.State(merged, state.asked(), state.pending(), state.captured()), first);
        for (var word : WORDS.split(text)) {
            if (reply.stopped()) return;
            reply.delta(word);
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

    /**
     * The replay reads the profile from the messages; fields the stored profile holds from messages
     * that were since dropped from the bounded history (or from an earlier model-mode conversation)
     * are kept rather than forgotten.
     */
    private static dev.labdesk.model.SourcedProfile mergeKept(Turn turn, Interview.State state) {
        var merged = state.profile();
        for (var f : ProfileField.values()) {
            if (f.get(merged.profile()).isEmpty()) {
                var kept = f.get(turn.profile().profile());
                if (kept.isPresent()) merged = merged.with(f, kept.get(), turn.profile().source(f));
            }
        }
        return merged;
    }
}
