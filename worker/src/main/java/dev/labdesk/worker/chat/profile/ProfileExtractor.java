package dev.labdesk.worker.chat.profile;

import dev.labdesk.worker.chat.agents.ChatAgentException;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.SourcedProfile;

import java.util.List;

/**
 * Reads a whole conversation into a profile, for {@code POST /extract-profile}: a model with
 * structured outputs ({@link LlmProfileExtractor}) or the interview replay ({@link OfflineProfileExtractor}).
 * Every message handed in has an id; the sources name those ids.
 */
public interface ProfileExtractor {

    ChatMode mode();

    SourcedProfile extract(List<ChatMessage> messages) throws ChatAgentException;
}
