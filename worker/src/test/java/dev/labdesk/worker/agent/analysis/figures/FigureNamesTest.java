package dev.labdesk.worker.agent.analysis.figures;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FigureNamesTest {

    @Test
    void namesAreSafeUniqueAndBounded() {
        var names = new FigureNames();
        assertThat(names.unique("growth.csv", "OD600 (a.u.)")).isEqualTo("growth-csv-od600-a-u");
        assertThat(names.unique("growth.csv", "od600 a u")).isEqualTo("growth-csv-od600-a-u-2");
        assertThat(names.unique("../../etc/passwd")).isEqualTo("etc-passwd");
        assertThat(names.unique("Température")).isEqualTo("temperature");
        assertThat(names.unique("温度")).isEqualTo("figure");
        assertThat(names.unique("温度")).isEqualTo("figure-2");
        var longName = names.unique("x".repeat(500));
        assertThat(longName).hasSizeLessThanOrEqualTo(FigureNames.MAX_LENGTH);
        var again = names.unique("x".repeat(500));
        assertThat(again).hasSizeLessThanOrEqualTo(FigureNames.MAX_LENGTH).isNotEqualTo(longName);
        for (var n : new String[] {"growth-csv-od600-a-u", "etc-passwd", "figure-2", longName, again}) assertThat(FigureNames.valid(n)).as(n).isTrue();
    }

    @Test
    void onlyMadeNamesAreValid() {
        for (var bad : new String[] {"", "../x", "a/b", "a.svg", "A", "-a", "a--b", "a-", "x".repeat(65), "a\u0000"})
            assertThat(FigureNames.valid(bad)).as(bad).isFalse();
    }
}
