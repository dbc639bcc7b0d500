package dev.labdesk.worker.agent.analysis.experiment;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a hypothesis: its direction, the measures its words call up, and the columns and values it names. */
class ClaimTest {
    @Test
    void directionWordsGiveTheClaimedDirection() {
        assertThat(Claim.read("dlacZ grows slower than wt", null).direction()).isEqualTo(Direction.LESS);
        assertThat(Claim.read("wt reaches a higher OD600 than dlacZ", null).direction()).isEqualTo(Direction.GREATER);
        assertThat(Claim.read("The mutant grows more slowly than the wild type", null).direction()).isEqualTo(Direction.LESS);
        assertThat(Claim.read("The mutant grows less quickly than the wild type", null).direction()).isEqualTo(Direction.LESS);
        assertThat(Claim.read("Strain affects growth", null).direction()).isEqualTo(Direction.DIFFERENT);
        assertThat(Claim.read("dlacZ does not grow differently from wt", null).direction()).isEqualTo(Direction.SAME);
        assertThat(Claim.read("There is no difference between wt and dlacZ", null).direction()).isEqualTo(Direction.SAME);
        var none = Claim.read("wt and dlacZ", null);
        assertThat(none.direction()).isEqualTo(Direction.DIFFERENT);
        assertThat(none.directionWord()).isNull();
    }

    @Test
    void measureWordsCallUpTheirConcepts() {
        var c = Claim.read("dlacZ grows slower than wt", "Compare fluorescence of the reporters");
        assertThat(c.measures()).containsEntry("growth", "grows").containsKey("fluorescence");
    }

    @Test
    void columnsAreNamedCaseUnderscoreAndPluralInsensitively() {
        var claim = Claim.read("Growth rate differs between strains", null);
        assertThat(ColumnMatcher.named("Strain", claim)).isTrue();
        assertThat(ColumnMatcher.named("growth_rate", claim)).isTrue();
        assertThat(ColumnMatcher.named("od600", claim)).isFalse();
        var growth = Vocabulary.MEASURES.getFirst();
        assertThat(ColumnMatcher.recordsConcept("OD600", growth)).isTrue();
        assertThat(ColumnMatcher.recordsConcept("od_600 (a.u.)", growth)).isTrue();
        assertThat(ColumnMatcher.recordsConcept("Absorbance", growth)).isTrue();
        assertThat(ColumnMatcher.recordsConcept("temperature", growth)).isFalse();
        assertThat(Words.singular("replicates")).isEqualTo("replicate");
        assertThat(Words.compact("Time [h]")).isEqualTo("time");
    }

    @Test
    void controlsAreWholeValuesNamingBlanksNotConditionsOrVehicles() {
        assertThat(List.of("blank", "Blank 2", "BLK_3", "medium", "Media only", "empty", "no cells", "uninoculated")).allMatch(Controls::control);
        assertThat(List.of("rich medium", "LB medium", "water", "buffer", "DMSO", "wt", "blanket")).noneMatch(Controls::control);
    }

    @Test
    void theGroupColumnIsTheOneWhoseValuesTheHypothesisNamesInItsOrder() {
        var frame = new Frame("growth.csv", "t", 12, List.of(
                new FrameColumn("strain", 12, 0, 0, 0, 3, List.of("wt", "dlacZ", "dpgi")),
                new FrameColumn("medium", 12, 0, 0, 0, 2, List.of("LB", "M9")),
                new FrameColumn("time_h", 12, 12, 0, 0, 4, List.of("0", "1", "2", "3")),
                new FrameColumn("well", 12, 0, 0, 0, 6, List.of("A1", "A2", "A3", "B1", "B2", "B3")),
                new FrameColumn("OD600", 12, 12, 0, 0, 12, List.of()),
                new FrameColumn("temperature", 12, 12, 0, 0, 1, List.of("30"))), List.of(), "");
        var s = ColumnMatcher.select(Claim.read("dlacZ grows slower than wt", null), frame);
        assertThat(s.group().name()).isEqualTo("strain");
        // the third strain is the rest of the experiment: compared too, the claim judged on the pair it names
        assertThat(s.groups()).containsExactly("dlacZ", "wt", "dpgi");
        assertThat(s.claimed()).containsExactly(new Selection.Claimed("dlacZ", "wt"));
        assertThat(s.measure().name()).isEqualTo("OD600");
        assertThat(s.time().name()).isEqualTo("time_h");
        assertThat(s.replicate().name()).isEqualTo("well");
        assertThat(s.matches()).anySatisfy(m -> assertThat(m.reason())
                .isEqualTo("the hypothesis names its values `dlacZ` and `wt`; its other value `dpgi` is compared too, as the rest of the experiment"));
        assertThat(s.matches()).anySatisfy(m -> assertThat(m.reason()).contains("\"grows\" refers to growth"));

        var twoOnly = ColumnMatcher.select(Claim.read("dlacZ grows slower than wt", null), new Frame("growth.csv", "t", 12, List.of(
                new FrameColumn("strain", 12, 0, 0, 0, 3, List.of("wt", "dlacZ", "Blank")),
                new FrameColumn("OD600", 12, 12, 0, 0, 12, List.of())), List.of(), ""));
        assertThat(twoOnly.groups()).containsExactly("dlacZ", "wt");
        assertThat(twoOnly.claimed()).isEmpty();
        assertThat(twoOnly.controls()).containsExactly("Blank");

        var none = ColumnMatcher.select(Claim.read("The treatment works", null), frame);
        assertThat(none.group()).isNull();
        assertThat(none.testable()).isFalse();
    }
}
