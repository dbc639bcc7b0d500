package dev.labdesk.worker.chat.agents;

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
        assertThat(found.get(ProfileField.ORGANISATION)).as("the role's field between role and place").isEqualTo("Crick");
        assertThat(Answers.volunteered("I'm Ada Lovelace").get(ProfileField.NAME)).isEqualTo("Ada Lovelace");
        assertThat(Answers.correction("My name is Grace Hopper and I code")).contains(java.util.Map.entry(ProfileField.NAME, "Grace Hopper"));
    }

    @Test
    void anyWhitespaceSeparatesTheLeadWordsAndAOneWordMessageSaysNothingInPassing() {
        // one-word messages skip the scans; a tab or a line break still counts as a space
        assertThat(Answers.volunteered("I'm\tAda.").get(ProfileField.NAME)).isEqualTo("Ada");
        assertThat(Answers.volunteered("hello\nI work at\u000BEMBL").get(ProfileField.ORGANISATION)).isEqualTo("EMBL");
        assertThat(Answers.correction("my\frole\ris\tpostdoc")).contains(java.util.Map.entry(ProfileField.ROLE, "postdoc"));
        assertThat(Answers.volunteered("Ada")).isEmpty();
        assertThat(Answers.volunteered("I'm_Ada")).isEmpty();
        assertThat(Answers.correction("postdoc")).isEmpty();
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

    @Test
    void aResearchAreaSaidInPassingIsTakenUpToTheEndOfItsClause() {
        assertThat(Answers.volunteered("Hi, I'm Ada. I work on bacterial growth in biofilms.").get(ProfileField.RESEARCH_AREA))
                .isEqualTo("bacterial growth in biofilms");
        assertThat(Answers.volunteered("I'm a postdoc and I study protein folding in yeast, and I want to find slow mutants")
                .get(ProfileField.RESEARCH_AREA)).isEqualTo("protein folding in yeast");
        assertThat(Answers.volunteered("My research is on coral bleaching").get(ProfileField.RESEARCH_AREA)).isEqualTo("coral bleaching");
        assertThat(Answers.volunteered("I study at ETH Zurich")).doesNotContainKey(ProfileField.RESEARCH_AREA);
        assertThat(Answers.volunteered("I want to compare strains")).doesNotContainKey(ProfileField.RESEARCH_AREA);
    }

    @Test
    void aResearchAreaAnswerStopsWhereAGoalBeginsAndTheGoalIsKept() {
        var text = "I work on bacterial growth and want to compare strains.";
        assertThat(Answers.answer(ProfileField.RESEARCH_AREA, text)).contains("bacterial growth");
        assertThat(Answers.volunteered(text)).containsEntry(ProfileField.GOALS, "Compare strains");
        assertThat(Answers.answer(ProfileField.RESEARCH_AREA, "Protein folding and misfolding in yeast")).contains("Protein folding and misfolding in yeast");
    }

    @Test
    void factsInPassingFillEmptyFieldsAndOnlyACorrectionChangesAKnownOne() {
        var start = Interview.absorb(dev.labdesk.model.SourcedProfile.EMPTY, java.util.Optional.empty(), user("m1", "I work on coral bleaching"));
        assertThat(start.profile().researchArea()).isEqualTo("coral bleaching");
        var goals = Interview.QUESTIONS.stream().filter(q -> q.field() == ProfileField.GOALS).findFirst();
        var later = Interview.absorb(start, goals, user("m2", "I work on reef surveys to see which sites recover"));
        assertThat(later.profile().researchArea()).as("said in passing: the known area stays").isEqualTo("coral bleaching");
        var corrected = Interview.absorb(later, java.util.Optional.empty(), user("m3", "my research area is reef recovery"));
        assertThat(corrected.profile().researchArea()).isEqualTo("reef recovery");
        assertThat(corrected.sources()).containsEntry("research_area", "m3");
    }

    @Test
    void anAreaVolunteeredForTheNameQuestionIsNotAskedAgain() {
        var name = Interview.QUESTIONS.getFirst();
        var history = java.util.List.of(
                dev.labdesk.model.ChatMessage.assistant("a1", null, Interview.GREETING + "\n\n" + name.prompt(), dev.labdesk.model.MessageStatus.COMPLETE, java.time.Instant.EPOCH),
                user("u1", "I work on bacterial growth in biofilms"));
        var state = Interview.replay(history, dev.labdesk.model.SourcedProfile.EMPTY);
        assertThat(state.profile().profile().researchArea()).isEqualTo("bacterial growth in biofilms");
        assertThat(state.profile().profile().name()).isNull();
        var asked = new java.util.ArrayList<ProfileField>();
        var profile = state.profile();
        var done = java.util.EnumSet.copyOf(state.asked());
        for (var next = Interview.next(profile, done); next.isPresent(); next = Interview.next(profile, done)) {
            asked.add(next.get().field());
            done.add(next.get().field());
        }
        assertThat(asked).as("what is left to ask").startsWith(ProfileField.ROLE).contains(ProfileField.GOALS).doesNotContain(ProfileField.RESEARCH_AREA);
    }

    private static dev.labdesk.model.ChatMessage user(String id, String text) {
        return dev.labdesk.model.ChatMessage.user(id, id, text, java.time.Instant.EPOCH);
    }
}
