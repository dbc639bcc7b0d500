package dev.labdesk.worker.chat.transport;

import dev.labdesk.model.ChatRules;
import dev.labdesk.model.Json;
import dev.labdesk.model.ProfileField;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A client's raw text frame read into a command, or refused with the error frame the client is sent. */
class FrameReaderTest {
    private final FrameReader reader = new FrameReader(Json.newMapper());

    private String refusal(String raw) {
        var command = reader.read(raw);
        assertThat(command).as(raw).isInstanceOf(ClientCommand.Refused.class);
        var error = ((ClientCommand.Refused) command).error();
        assertThat(error.retryable()).isFalse();
        assertThat(error.replyTo()).isNull();
        return error.code();
    }

    @Test
    void aMessageFrameBecomesASendWithItsIdAndText() {
        assertThat(reader.read("{\"type\":\"message\",\"client_message_id\":\"c-1\",\"text\":\"hello\"}"))
                .isEqualTo(new ClientCommand.SendMessage("c-1", "hello"));
    }

    @Test
    void aMessageWithoutAnIdIsLeftForTheWorkerToName() {
        assertThat(reader.read("{\"type\":\"message\",\"text\":\"hello\"}")).isEqualTo(new ClientCommand.SendMessage(null, "hello"));
    }

    @Test
    void stopAndProfileEditFramesBecomeTheirCommands() {
        assertThat(reader.read("{\"type\":\"stop\"}")).isEqualTo(new ClientCommand.StopReply());
        assertThat(reader.read("{\"type\":\"profile_edit\",\"field\":\"role\",\"value\":\"  PhD student \"}"))
                .isEqualTo(new ClientCommand.EditProfile(ProfileField.ROLE, "PhD student"));
        assertThat(reader.read("{\"type\":\"profile_edit\",\"field\":\"role\",\"value\":\"   \"}"))
                .isEqualTo(new ClientCommand.EditProfile(ProfileField.ROLE, null));
        assertThat(reader.read("{\"type\":\"profile_edit\",\"field\":\"notes\",\"value\":null}"))
                .isEqualTo(new ClientCommand.EditProfile(ProfileField.NOTES, null));
    }

    @Test
    void framesThatAreNotJsonObjectsWithATypeAreBadFrames() {
        assertThat(refusal("not json")).isEqualTo("bad_frame");
        assertThat(refusal("[1,2]")).isEqualTo("bad_frame");
        assertThat(refusal("{\"text\":\"hi\"}")).isEqualTo("bad_frame");
        assertThat(refusal("{\"type\":7}")).isEqualTo("bad_frame");
        assertThat(refusal("{\"type\":\"message\",\"text\":[1]}")).isEqualTo("bad_frame");
        assertThat(refusal("{\"type\":\"profile_edit\",\"field\":{}}")).isEqualTo("bad_frame");
    }

    @Test
    void anUnknownTypeIsNamedClippedInItsError() {
        var command = (ClientCommand.Refused) reader.read("{\"type\":\"" + "x".repeat(100) + "\"}");
        assertThat(command.error().code()).isEqualTo("unknown_type");
        assertThat(command.error().message()).contains("x".repeat(40) + "…").doesNotContain("x".repeat(41));
    }

    @Test
    void aMessageMustHaveTextWithinTheLimitAndAValidId() {
        assertThat(refusal("{\"type\":\"message\",\"client_message_id\":\"c\",\"text\":\"  \"}")).isEqualTo("empty_text");
        assertThat(refusal("{\"type\":\"message\",\"client_message_id\":\"c\"}")).isEqualTo("empty_text");
        assertThat(refusal("{\"type\":\"message\",\"client_message_id\":\"c\",\"text\":\"" + "a".repeat(ChatRules.TEXT_MAX + 1) + "\"}"))
                .isEqualTo("text_too_long");
        assertThat(reader.read("{\"type\":\"message\",\"client_message_id\":\"c\",\"text\":\"" + "a".repeat(ChatRules.TEXT_MAX) + "\"}"))
                .isInstanceOf(ClientCommand.SendMessage.class);
        assertThat(refusal("{\"type\":\"message\",\"client_message_id\":\"has space\",\"text\":\"hi\"}")).isEqualTo("bad_client_message_id");
        assertThat(refusal("{\"type\":\"message\",\"client_message_id\":\"\",\"text\":\"hi\"}")).isEqualTo("bad_client_message_id");
    }

    @Test
    void aFrameOverTheByteLimitIsRefusedBeforeParsing() {
        var huge = "\"" + "é".repeat(ChatRules.FRAME_MAX_BYTES / 2 + 1) + "\""; // two UTF-8 bytes each: over the limit, not by characters
        assertThat(refusal(huge)).isEqualTo("frame_too_large");
    }

    @Test
    void aProfileEditNamesAKnownFieldAndAValueWithinItsLimit() {
        assertThat(refusal("{\"type\":\"profile_edit\",\"field\":\"shoe_size\",\"value\":\"42\"}")).isEqualTo("bad_profile_field");
        assertThat(refusal("{\"type\":\"profile_edit\",\"value\":\"42\"}")).isEqualTo("bad_profile_field");
        assertThat(refusal("{\"type\":\"profile_edit\",\"field\":\"role\",\"value\":\"" + "r".repeat(ChatRules.PROFILE_VALUE_MAX + 1) + "\"}"))
                .isEqualTo("profile_value_too_long");
        assertThat(reader.read("{\"type\":\"profile_edit\",\"field\":\"notes\",\"value\":\"" + "n".repeat(ChatRules.PROFILE_NOTES_MAX) + "\"}"))
                .isInstanceOf(ClientCommand.EditProfile.class);
    }
}
