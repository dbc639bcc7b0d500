package dev.labdesk.worker.chat;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.SourcedProfile;

import java.util.List;

/** What an agent sees when it answers: the stored conversation (ending with {@code message}) and the profile so far. */
public record Turn(String userId, List<ChatMessage> history, ChatMessage message, SourcedProfile profile) {
    public Turn {
        history = List.copyOf(history);
    }
}
