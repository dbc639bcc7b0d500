package dev.labdesk.worker.chat.profile;

import dev.labdesk.model.ProfileField;
import dev.labdesk.model.SourcedProfile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a turn changed in the profile, laid over the profile as it is when the turn ends. */
class ProfileMergeTest {
    private static final SourcedProfile BASE = SourcedProfile.EMPTY
            .with(ProfileField.NAME, "Ada", "m1")
            .with(ProfileField.ROLE, "student", "m2");

    @Test
    void aTurnThatChangedNothingLeavesTheCurrentProfileAsItIs() {
        var current = BASE.edited(ProfileField.ROLE, "postdoc");
        assertThat(ProfileMerge.merge(current, BASE, BASE)).isEqualTo(current);
    }

    @Test
    void theTurnsChangesAreAddedWithTheirSources() {
        var updated = BASE.with(ProfileField.ORGANISATION, "ETH", "m3");
        var merged = ProfileMerge.merge(BASE, BASE, updated);
        assertThat(merged.profile().organisation()).isEqualTo("ETH");
        assertThat(merged.source(ProfileField.ORGANISATION)).isEqualTo("m3");
        assertThat(merged).isEqualTo(updated);
    }

    @Test
    void anEditByHandDuringTheTurnIsKeptWhenTheTurnLeftThatFieldAlone() {
        var current = BASE.edited(ProfileField.ROLE, "postdoc"); // by hand, while the model answered
        var updated = BASE.with(ProfileField.GOALS, "publish", "m3");
        var merged = ProfileMerge.merge(current, BASE, updated);
        assertThat(merged.profile().role()).isEqualTo("postdoc");
        assertThat(merged.source(ProfileField.ROLE)).isNull();
        assertThat(merged.profile().goals()).isEqualTo("publish");
    }

    @Test
    void theTurnWinsOnAFieldItChangedToo() {
        var current = BASE.edited(ProfileField.ROLE, "postdoc");
        var updated = BASE.with(ProfileField.ROLE, "professor", "m3");
        var merged = ProfileMerge.merge(current, BASE, updated);
        assertThat(merged.profile().role()).isEqualTo("professor");
        assertThat(merged.source(ProfileField.ROLE)).isEqualTo("m3");
    }

    @Test
    void aFieldTheTurnClearedIsClearedAndASourceChangeAloneCounts() {
        var cleared = ProfileMerge.merge(BASE, BASE, BASE.edited(ProfileField.NAME, null));
        assertThat(cleared.profile().name()).isNull();
        assertThat(cleared.source(ProfileField.NAME)).isNull();

        var resourced = ProfileMerge.merge(BASE, BASE, BASE.with(ProfileField.NAME, "Ada", "m9")); // same value, another message
        assertThat(resourced.source(ProfileField.NAME)).isEqualTo("m9");

        var unsourced = ProfileMerge.merge(BASE, BASE, BASE.edited(ProfileField.NAME, "Ada")); // same value, now by hand
        assertThat(unsourced.profile().name()).isEqualTo("Ada");
        assertThat(unsourced.source(ProfileField.NAME)).isNull();
    }
}
