package dev.labdesk.worker.agent.analysis;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's one formatter: nothing shown rounder than it is, nothing rounded onto a bound it does not reach, a column in one form. */
class NumbersTest {
    @Test
    void pValuesAreNeverShownAsZeroAndKeepThreeFigures() {
        assertThat(Numbers.p(1e-12)).isEqualTo("p < 0.001");
        assertThat(Numbers.p(0.07939)).isEqualTo("p = 0.0794");
        assertThat(Numbers.p(0.5)).isEqualTo("p = 0.500"); // beside 0.161 in a column of p-values: three figures each
        assertThat(Numbers.pValue(Double.NaN)).isEqualTo("–");
    }

    @Test
    void statisticsAreNeverShownRounderThanTheyAreNorPValuesRoundedAcrossTheThreshold() {
        assertThat(Numbers.statistic(12345.6)).isEqualTo("12346"); // not "12300", which reads as exact
        assertThat(Numbers.statistic(-1049.5)).isEqualTo("-1050"); // half to even at the integer, no digits dropped before the point
        assertThat(Numbers.statistic(4.8461)).isEqualTo("4.85");
        assertThat(Numbers.statistic(7.7996)).isEqualTo("7.80"); // three figures, the zero included
        assertThat(Numbers.statistic(12.0)).isEqualTo("12.0"); // a mean of 12 beside one of 11.8: not "12", which reads as fewer figures
        assertThat(Numbers.statistic(0.5)).isEqualTo("0.500");
        assertThat(Numbers.statistic(0.000012345)).isEqualTo("1.23e-05");
        assertThat(Numbers.p(0.049962)).isEqualTo("p = 0.04996"); // "0.05" beside "significant" would contradict itself
        assertThat(Numbers.p(0.050004)).isEqualTo("p = 0.0500");
        assertThat(Numbers.p(0.0159)).isEqualTo("p = 0.0159");
        assertThat(Numbers.pValue(0.0004)).isEqualTo("< 0.001");
    }

    @Test
    void aShareIsNeverRoundedOntoNoneOrAll() {
        assertThat(Numbers.percent(1, 30_000)).isEqualTo("< 0.1 %"); // not "0.0 %": one missing cell is not none
        assertThat(Numbers.percent(29_999, 30_000)).isEqualTo("> 99.9 %");
        assertThat(Numbers.percent(0, 30_000)).isEqualTo("0 %");
        assertThat(Numbers.percent(30_000, 30_000)).isEqualTo("100 %");
        assertThat(Numbers.percent(3, 7)).isEqualTo("42.9 %");
        assertThat(Numbers.share(0.0004)).isEqualTo("< 0.1 %");
    }

    @Test
    void aCoefficientIsNeverRoundedOntoOneOrZeroItDoesNotEqual() {
        assertThat(Numbers.coefficient(0.99997)).isEqualTo("0.99997"); // not "1.000", a perfect correlation
        assertThat(Numbers.coefficient(-0.99951)).isEqualTo("-0.9995");
        assertThat(Numbers.coefficient(0.0004)).isEqualTo("0.0004"); // not "0.000"
        assertThat(Numbers.coefficient(-0.0004)).isEqualTo("-0.0004");
        assertThat(Numbers.coefficient(1.0)).isEqualTo("1.000");
        assertThat(Numbers.coefficient(0.0)).isEqualTo("0.000");
        assertThat(Numbers.coefficient(0.1234)).isEqualTo("0.123");
        assertThat(Numbers.coefficient(1 - 1e-9)).isEqualTo("> 0.999999"); // past six decimals it says so: the value is in report.json
        assertThat(Numbers.coefficient(3e-9)).isEqualTo("3.0e-09");
        assertThat(Numbers.coefficient(Double.NaN)).isEqualTo("–"); // a constant column's skewness
        assertThat(Numbers.coefficient(null)).isEmpty();
    }

    @Test
    void aColumnsScaleIsItsWrittenPrecisionAndDuckDbsTrailingZeroIsNotPrecision() {
        // "29.0" from DuckDB is a whole double; the table wrote "30.5": one decimal
        var temperature = Numbers.Scale.ofValues(false, List.of("29.0", "32", "30.5"), List.of("29.0", "32.0"));
        assertThat(List.of(temperature.format("29.0"), temperature.format(32.0), temperature.format(30.75))).containsExactly("29.0", "32.0", "30.8");
        // written "0.050": three decimals, though DuckDB's min is "0.05"
        var od = Numbers.Scale.ofValues(false, List.of("0.050", "0.124"), List.of("0.05", "2.436"));
        assertThat(od.format("0.05")).isEqualTo("0.050");
        // DuckDB's "37.0" alone is no decimal
        assertThat(Numbers.Scale.ofValues(false, List.of("37"), List.of("29.0", "37.0")).format("29.0")).isEqualTo("29");
        assertThat(Numbers.Scale.ofValues(true, List.of("1000"), List.of("1000", "1199")).format("1199")).isEqualTo("1199");
        // tiny values, or written in scientific notation: every cell in scientific notation, the written figures
        var tiny = Numbers.Scale.ofValues(false, List.of("1.283e-07"), List.of("3.657e-09", "4.979e-07"));
        assertThat(List.of(tiny.format("3.657e-09"), tiny.format(2.5637e-07))).containsExactly("3.657e-09", "2.564e-07");
        // a noisy computed double is cut at six decimals
        assertThat(Numbers.Scale.ofValues(false, List.of("0.30000000000000004"), List.of())).isEqualTo(new Numbers.Scale.Fixed(6));
        // -0.00 is 0.00
        assertThat(Numbers.Scale.fixed(2).format(-0.001)).isEqualTo("0.00");
        assertThat(Numbers.Scale.fixed(2).format(Double.NaN)).isEqualTo("–");
    }

    @Test
    void quantilesAreShownExactlyWithTheFewestDecimalsTheyAllNeed() {
        var integers = Numbers.Scale.fixed(0);
        var shown = integers.exact(Arrays.asList(3.95, 15.0, 32.0, 47.0, 57.05), 2);
        assertThat(List.of(shown.format(3.95), shown.format(15.0), shown.format(57.05))).containsExactly("3.95", "15.00", "57.05");
        var whole = integers.exact(Arrays.asList(1.0, 2.0, 3.0, 4.0, 5.0), 2);
        assertThat(whole.format(3.0)).isEqualTo("3"); // integers as integers when every quantile is one
    }

    @Test
    void aStatisticFinerThanItsValuesIsNeverShownAsZeroWhenItIsNot() {
        // a mean of 0.04 over integers at one decimal would read "0.0"
        var mean = Numbers.Scale.fixed(0).finer(1).nonzero(Arrays.asList(0.04, 0.2));
        assertThat(mean.format(0.04)).isEqualTo("0.04");
        assertThat(mean.format(0.2)).isEqualTo("0.20");
        var table = Numbers.Scale.ofStatistics(List.of(4.68, 12.345, 0.2274), 3);
        assertThat(List.of(table.format(4.68), table.format(12.345), table.format(0.2274))).containsExactly("4.680", "12.345", "0.227");
    }
}
