package dev.labdesk.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.List;
import java.util.Map;

/**
 * The JSON text frames of {@code WS /chat/{user_id}}; the {@code type} field names the kind.
 * The two directions are separate sealed types because both have a {@code message} frame
 * with different shapes: the client sends text, the worker sends a stored {@link ChatMessage}.
 */
public sealed interface ChatFrame {

    /** Client → worker: {@code message}, {@code stop}, {@code profile_edit}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Send.class, name = "message"),
            @JsonSubTypes.Type(value = Stop.class, name = "stop"),
            @JsonSubTypes.Type(value = ProfileEdit.class, name = "profile_edit"),
    })
    sealed interface FromClient extends ChatFrame permits Send, Stop, ProfileEdit {}

    /** Worker → client: {@code history}, {@code delta}, {@code message}, {@code profile}, {@code error}, {@code ping}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = History.class, name = "history"),
            @JsonSubTypes.Type(value = Delta.class, name = "delta"),
            @JsonSubTypes.Type(value = Message.class, name = "message"),
            @JsonSubTypes.Type(value = ProfileUpdate.class, name = "profile"),
            @JsonSubTypes.Type(value = Error.class, name = "error"),
            @JsonSubTypes.Type(value = Ping.class, name = "ping"),
    })
    sealed interface FromWorker extends ChatFrame permits History, Delta, Message, ProfileUpdate, Error, Ping {}

    /**
     * A user message. Sending the same {@code client_message_id} again (after a reconnect) never
     * produces a second answer; when it is absent the worker makes one up (no idempotency then).
     */
    @JsonTypeName("message")
    record Send(String clientMessageId, String text) implements FromClient {}

    /** Ends the reply being streamed; the text so far is kept as a {@code stopped} message. */
    @JsonTypeName("stop")
    record Stop() implements FromClient {}

    /**
     * The user changed one field of their profile by hand ({@code value} null or blank clears it).
     * The worker answers every socket of the user with a {@code profile} frame in which that field
     * has no source: it came from no message. Limits: {@link ChatRules#PROFILE_VALUE_MAX} characters,
     * {@link ChatRules#PROFILE_NOTES_MAX} for {@code notes}.
     */
    @JsonTypeName("profile_edit")
    record ProfileEdit(String field, String value) implements FromClient {}

    /**
     * First frame(s) after connecting: the stored conversation, oldest first, and which agent answers.
     * A conversation longer than {@link ChatRules#HISTORY_FRAME_MAX_BYTES} comes in pages, in order:
     * every page but the last says {@code more: true} (and carries no profile); the client joins the
     * pages' messages and shows them when the last one arrives.
     */
    @JsonTypeName("history")
    record History(List<ChatMessage> messages, ChatMode mode, SourcedProfile profile, boolean more) implements FromWorker {
        public History {
            messages = List.copyOf(messages);
        }

        /** The whole conversation in one frame. */
        public History(List<ChatMessage> messages, ChatMode mode, SourcedProfile profile) {
            this(messages, mode, profile, false);
        }
    }

    /**
     * Streamed text of assistant message {@code message_id}. The first delta of a reply also names
     * the client message it answers ({@code reply_to}); later ones leave it out. A reply that exists
     * whole at once (the offline interview) has none: its {@link Message} is its only frame.
     */
    @JsonTypeName("delta")
    record Delta(String messageId, String replyTo, String text) implements FromWorker {}

    /**
     * A reply is complete (or stopped: then its partial text); {@code message.reply_to} names the client
     * message it answers. A client must show it even when no {@link Delta} of it came before.
     */
    @JsonTypeName("message")
    record Message(ChatMessage message) implements FromWorker {}

    /** The profile as it stands, each known field with the id of the message it came from. */
    @JsonTypeName("profile")
    record ProfileUpdate(Profile profile, Map<String, String> sources) implements FromWorker {
        public static ProfileUpdate of(SourcedProfile p) {
            return new ProfileUpdate(p.profile(), p.sources());
        }
    }

    /**
     * Something failed; the connection stays usable. {@code retryable}: sending the same message
     * again may succeed. {@code reply_to} names the client message whose reply failed, if any.
     */
    @JsonTypeName("error")
    record Error(String code, String message, boolean retryable, String replyTo) implements FromWorker {
        public static Error of(String code, String message) {
            return new Error(code, message, false, null);
        }
    }

    /** App-level keep-alive: Modal's proxy drops WebSocket ping frames, so the worker sends this every 20 s. */
    @JsonTypeName("ping")
    record Ping() implements FromWorker {}
}
