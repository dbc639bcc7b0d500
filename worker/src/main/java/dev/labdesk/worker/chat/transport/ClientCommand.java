package dev.labdesk.worker.chat.transport;

import dev.labdesk.model.ChatFrame;
import dev.labdesk.model.ProfileField;

/** What a client's text frame asks for, checked against the contract's rules; or why it cannot be done. */
public sealed interface ClientCommand {

    /** A message to answer. {@code clientMessageId} is null when the client sent none (the worker names it). */
    record SendMessage(String clientMessageId, String text) implements ClientCommand {}

    /** Stop the reply being written. */
    record StopReply() implements ClientCommand {}

    /** A profile field set by hand; {@code value} stripped, null to clear it. */
    record EditProfile(ProfileField field, String value) implements ClientCommand {}

    /** The frame is refused: {@code error} is what the client is told. */
    record Refused(ChatFrame.Error error) implements ClientCommand {}
}
