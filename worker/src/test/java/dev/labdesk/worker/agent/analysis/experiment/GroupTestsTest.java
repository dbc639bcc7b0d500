package dev.labdesk.worker.agent.analysis.experiment;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The statistics against published reference values (R's {@code sleep} and {@code PlantGrowth} data sets and
 * the {@code kruskal.test} example, as R prints them) and against arithmetic done here by hand.
 */
class GroupTestsTest {
    // R: sleep$extra by group (Cushny & Peebles)
    static final double[] SLEEP_1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    static final double[] SLEEP_2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
    // R: PlantGrowth$weight by group
    static final double[] CTRL = {4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14};
    static final double[] TRT1 = {4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69};
    static final double[] TRT2 = {6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26};

    @Test
    void welchsTestOnTheSleepDataGivesRsNumbers() {
        // R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p-value = 0.07939, 95 % CI -3.3654832 0.2054832
        var c = GroupTests.two("1", SLEEP_1, "2", SLEEP_2, Direction.LESS);
        assertThat(c.t()).isCloseTo(-1.8608, within(5e-5));
        assertThat(c.df()).isCloseTo(17.776, within(5e-4));
        assertThat(c.pTwoSided()).isCloseTo(0.07939, within(5e-6));
        assertThat(c.differenceCiLow()).isCloseTo(-3.3654832, within(1e-6));
        assertThat(c.differenceCiHigh()).isCloseTo(0.2054832, within(1e-6));
        assertThat(c.pOneSided()).isCloseTo(0.07939 / 2, within(5e-6)); // the claimed direction agrees with the sign of t
        assertThat(c.alternative()).isEqualTo("mean of 1 < mean of 2");
    }

    @Test
    void effectSizeIsHedgesGByItsStatedFormula() {
        var c = GroupTests.two("1", SLEEP_1, "2", SLEEP_2, Direction.DIFFERENT);
        double m1 = mean(SLEEP_1), m2 = mean(SLEEP_2), v1 = var(SLEEP_1), v2 = var(SLEEP_2);
        double pooled = Math.sqrt((9 * v1 + 9 * v2) / 18);
        double d = (m1 - m2) / pooled;
        assertThat(c.cohensD()).isCloseTo(d, within(1e-12));
        assertThat(c.hedgesG()).isCloseTo(d * (1 - 3.0 / (4 * 20 - 9)), within(1e-12));
        assertThat(c.pOneSided()).isNull();
        assertThat(c.meanDifference()).isCloseTo(0.75 - 2.33, within(1e-12));
    }

    @Test
    void anovaAndKruskalWallisOnPlantGrowthGiveRsNumbers() {
        // R: summary(aov(weight ~ group, PlantGrowth)): Df 2, 27; Sum Sq 3.766, 10.492; F 4.846; Pr(>F) 0.0159
        // R: kruskal.test(weight ~ group, data = PlantGrowth): chi-squared = 7.9882, df = 2, p-value = 0.01842
        var c = GroupTests.many(List.of("ctrl", "trt1", "trt2"), List.of(CTRL, TRT1, TRT2), List.of());
        assertThat(c.f()).isCloseTo(4.846, within(5e-4));
        assertThat(c.dfBetween()).isEqualTo(2);
        assertThat(c.dfWithin()).isEqualTo(27);
        assertThat(c.anovaP()).isCloseTo(0.0159, within(5e-5));
        assertThat(c.etaSquared()).isCloseTo(3.766 / (3.766 + 10.492), within(5e-4));
        assertThat(c.kruskalWallisH()).isCloseTo(7.9882, within(5e-5));
        assertThat(c.kruskalWallisDf()).isEqualTo(2);
        assertThat(c.kruskalWallisP()).isCloseTo(0.01842, within(5e-6));
    }

    @Test
    void kruskalWallisMatchesRsHelpPageExample() {
        // R: ?kruskal.test (Hollander & Wolfe): Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68
        var h = GroupTests.kruskalWallisH(List.of(new double[] {2.9, 3.0, 2.5, 2.6, 3.2}, new double[] {3.8, 2.7, 4.0, 2.4},
                new double[] {2.8, 3.4, 3.7, 2.2, 2.0}));
        assertThat(h).isCloseTo(0.77143, within(5e-6));
    }

    @Test
    void groupSummaryIsTheMeanSdMedianAndTInterval() {
        var s = GroupSummary.of("ctrl", CTRL);
        assertThat(s.n()).isEqualTo(10);
        assertThat(s.mean()).isCloseTo(5.032, within(1e-12));
        assertThat(s.sd()).isCloseTo(Math.sqrt(var(CTRL)), within(1e-12));
        var sorted = CTRL.clone();
        Arrays.sort(sorted);
        assertThat(s.median()).isCloseTo((sorted[4] + sorted[5]) / 2, within(1e-12));
        double half = 2.262157162740992 * s.sd() / Math.sqrt(10); // qt(0.975, 9)
        assertThat(s.ciLow()).isCloseTo(5.032 - half, within(1e-9));
        assertThat(s.ciHigh()).isCloseTo(5.032 + half, within(1e-9));
        assertThat(GroupSummary.of("one", new double[] {3}).sd()).isNull();
    }

    private static double mean(double[] v) {
        return ByHand.mean(v);
    }

    private static double var(double[] v) {
        return ByHand.var(v);
    }
}
