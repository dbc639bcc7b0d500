package dev.labdesk.worker.chat.agents;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.SourcedProfile;

import java.util.List;

/**
 * What an agent sees when it answers: the stored conversation (ending with {@code message}) and the
 * profile so far. {@code history} is a snapshot nobody changes (the store's, or a copy), so it is not
 * copied again, which would be a copy of up to a whole conversation on every turn.
 */
public record Turn(String userId, List<ChatMessage> history, ChatMessage message, SourcedProfile profile) {}
