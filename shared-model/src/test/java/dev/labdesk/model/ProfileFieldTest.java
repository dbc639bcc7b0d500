package dev.labdesk.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileFieldTest {
    @Test
    void notesMayBeLongerThanAnyOtherFieldAndEveryOtherFieldSharesOneLimit() {
        assertThat(ProfileField.NOTES.maxLength()).isEqualTo(ChatRules.PROFILE_NOTES_MAX);
        assertThat(Arrays.stream(ProfileField.values()).filter(f -> f != ProfileField.NOTES))
                .allSatisfy(f -> assertThat(f.maxLength()).as(f.wire()).isEqualTo(ChatRules.PROFILE_VALUE_MAX));
        assertThat(ChatRules.PROFILE_NOTES_MAX).isGreaterThan(ChatRules.PROFILE_VALUE_MAX);
    }
}
