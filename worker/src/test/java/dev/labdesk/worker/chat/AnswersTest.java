package dev.labdesk.worker.chat;

import dev.labdesk.model.ProfileField;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline interview's reading of answers: names said in passing, and sentences that are not names. */
class AnswersTest {
    @Test
    void aNameSaidInPassingIsTaken() {
        var found = Answers.volunteered("Hi! I'm Ada, a postdoc in microbiology at the Crick.");
        assertThat(found.get(ProfileField.NAME)).isEqualTo("Ada");
        assertThat(found.get(ProfileField.ROLE)).isEqualTo("postdoc");
        assertThat(Answers.volunteered("I'm Ada Lovelace").get(ProfileField.NAME)).isEqualTo("Ada Lovelace");
        assertThat(Answers.volunteered("My name is Grace Hopper and I code").get(ProfileField.NAME)).isEqualTo("Grace Hopper");
    }

    @Test
    void phrasesThatAreNotNamesAreNotTaken() {
        assertThat(Answers.volunteered("I'm interested in growth curves.")).doesNotContainKey(ProfileField.NAME);
        assertThat(Answers.volunteered("I'm PhD student at ETH Zurich")).doesNotContainKey(ProfileField.NAME);
        assertThat(Answers.answer(ProfileField.NAME, "I work on bacterial growth and want to compare strains")).isEmpty();
        assertThat(Answers.answer(ProfileField.NAME, "Ada Lovelace")).contains("Ada Lovelace");
        assertThat(Answers.answer(ProfileField.NAME, "I'm Ada")).contains("Ada");
        assertThat(Answers.answer(ProfileField.ROLE, "I work on bacterial growth and want to compare strains")).isEmpty();
        assertThat(Answers.answer(ProfileField.ROLE, "PhD student at ETH Zurich")).contains("PhD student");
        assertThat(Answers.answer(ProfileField.ORGANISATION, "I work on bacterial growth")).isEmpty();
        assertThat(Answers.answer(ProfileField.ORGANISATION, "I work at the Crick")).contains("Crick");
    }
}
