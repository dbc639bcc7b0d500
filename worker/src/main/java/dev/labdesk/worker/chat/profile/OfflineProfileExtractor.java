package dev.labdesk.worker.chat.profile;

import dev.labdesk.worker.chat.agents.Interview;

import dev.labdesk.model.ChatMessage;
import dev.labdesk.model.ChatMode;
import dev.labdesk.model.SourcedProfile;

import java.util.List;

/** Extraction without a model: the offline interview's replay over the conversation. */
public final class OfflineProfileExtractor implements ProfileExtractor {
    @Override
    public ChatMode mode() {
        return ChatMode.OFFLINE;
    }

    @Override
    public SourcedProfile extract(List<ChatMessage> messages) {
        return Interview.replay(messages, SourcedProfile.EMPTY).profile();
    }
}
