package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.Numbers;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.labdesk.worker.agent.analysis.experiment.GroupTestsTest.CTRL;
import static dev.labdesk.worker.agent.analysis.experiment.GroupTestsTest.TRT1;
import static dev.labdesk.worker.agent.analysis.experiment.GroupTestsTest.TRT2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The pairs after an omnibus test against R as it prints them ({@code t.test} per pair, {@code p.adjust(…, "holm")},
 * {@code FSA::dunnTest(weight ~ group, PlantGrowth, method = "holm")}) and against ranks counted here by hand.
 */
class PairsTest {
    private static final List<String> NAMES = List.of("ctrl", "trt1", "trt2");

    @Test
    void holmMultipliesTheSortedPValuesByTheTestsLeftAndKeepsThemMonotone() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") → 0.03 0.06 0.06 0.02
        assertThat(Pairs.holm(new double[] {0.01, 0.04, 0.03, 0.005})).containsExactly(new double[] {0.03, 0.06, 0.06, 0.02}, within(1e-15));
        assertThat(Pairs.holm(new double[] {0.02, 0.6})).containsExactly(new double[] {0.04, 0.6}, within(1e-15));
        assertThat(Pairs.holm(new double[] {0.7, 0.6})).containsExactly(1.0, 1.0); // 2 × 0.6 capped at 1, and 0.7 never below a smaller p's 1
    }

    @Test
    void aPairOfTwoGroupsThatDoNotVaryHasNoWelchTestAndIsNotCountedInHolm() {
        var pairs = Pairs.compare(List.of("a", "b", "c"), List.of(new double[] {1, 1, 1}, new double[] {2, 2, 2}, new double[] {1.5, 2.5, 2.0}));
        assertThat(pairs.getFirst().p()).isNaN();
        assertThat(pairs.getFirst().holmP()).isNaN();
        // the two defined p's are a family of two: the smaller doubled
        double smaller = Math.min(pairs.get(1).p(), pairs.get(2).p());
        assertThat(Math.min(pairs.get(1).holmP(), pairs.get(2).holmP())).isCloseTo(Math.min(1, 2 * smaller), within(1e-15));
        assertThat(Pairs.holm(new double[] {Double.NaN, 0.01, 0.04})).containsExactly(new double[] {Double.NaN, 0.02, 0.04}, within(1e-15));
        assertThat(Numbers.pValue(Double.NaN)).isEqualTo("–");
    }

    @Test
    void everyPairOfPlantGrowthByWelchGivesRsNumbersHolmAdjusted() {
        var pairs = Pairs.compare(NAMES, List.of(CTRL, TRT1, TRT2));
        assertThat(pairs).extracting(p -> p.first() + "-" + p.second()).containsExactly("ctrl-trt1", "ctrl-trt2", "trt1-trt2");
        // R: t.test(ctrl, trt1): t = 1.1913, df = 16.524, p-value = 0.2504; (ctrl, trt2): t = -2.134, df = 16.786, p-value = 0.0479;
        // (trt1, trt2): t = -3.0101, df = 14.104, p-value = 0.009298 (rounded as R prints)
        assertThat(pairs.get(0).t()).isCloseTo(1.1913, within(5e-5));
        assertThat(pairs.get(0).df()).isCloseTo(16.524, within(5e-4));
        assertThat(pairs.get(0).p()).isCloseTo(0.2504, within(5e-5));
        assertThat(pairs.get(1).t()).isCloseTo(-2.134, within(5e-4));
        assertThat(pairs.get(1).p()).isCloseTo(0.0479, within(5e-5));
        assertThat(pairs.get(2).t()).isCloseTo(-3.0101, within(5e-5));
        assertThat(pairs.get(2).df()).isCloseTo(14.104, within(5e-4));
        assertThat(pairs.get(2).p()).isCloseTo(0.009298, within(5e-7));
        assertThat(pairs.get(2).meanDifference()).isCloseTo(4.661 - 5.526, within(1e-12));
        for (var p : pairs) { // the CI is the difference ± the t quantile at which the two-sided p is 0.05, times the difference's standard error
            double se = Math.abs(p.meanDifference() / p.t()), half = (p.differenceCiHigh() - p.differenceCiLow()) / 2;
            assertThat((p.differenceCiHigh() + p.differenceCiLow()) / 2).isCloseTo(p.meanDifference(), within(1e-12));
            assertThat(2 * org.apache.commons.statistics.distribution.TDistribution.of(p.df()).survivalProbability(half / se)).isCloseTo(0.05, within(1e-9));
        }
        // Holm by hand: the smallest p times 3, the next times 2, the largest times 1
        assertThat(pairs.get(2).holmP()).isCloseTo(3 * pairs.get(2).p(), within(1e-15));
        assertThat(pairs.get(1).holmP()).isCloseTo(2 * pairs.get(1).p(), within(1e-15));
        assertThat(pairs.get(0).holmP()).isCloseTo(pairs.get(0).p(), within(1e-15));
    }

    @Test
    void dunnsTestOnPlantGrowthGivesRsNumbersAndTheRanksCountedByHand() {
        var pairs = Pairs.compare(NAMES, List.of(CTRL, TRT1, TRT2));
        // R: FSA::dunnTest: Z 1.117725, -1.689290, -2.807015; P.unadj 0.26368427, 0.09116394, 0.00500029; P.adj 0.26368427, 0.18232789, 0.01500087
        assertThat(pairs.stream().mapToDouble(Comparison.Pair::dunnZ).toArray()).containsExactly(new double[] {1.117725, -1.689290, -2.807015}, within(5e-7));
        assertThat(pairs.stream().mapToDouble(Comparison.Pair::dunnP).toArray()).containsExactly(new double[] {0.26368427, 0.09116394, 0.00500029}, within(5e-9));
        assertThat(pairs.stream().mapToDouble(Comparison.Pair::dunnHolmP).toArray()).containsExactly(new double[] {0.26368427, 0.18232789, 0.01500087}, within(5e-9));
        // the mean ranks by hand: each value's rank among all 30, tied values sharing their ranks' mean
        var all = new double[30];
        System.arraycopy(CTRL, 0, all, 0, 10);
        System.arraycopy(TRT1, 0, all, 10, 10);
        System.arraycopy(TRT2, 0, all, 20, 10);
        var sorted = all.clone();
        Arrays.sort(sorted);
        double[] meanRank = new double[3];
        for (int i = 0; i < 30; i++) {
            double first = 0, count = 0;
            for (int j = 0; j < 30; j++)
                if (sorted[j] == all[i]) {
                    first += j + 1;
                    count++;
                }
            meanRank[i / 10] += first / count / 10;
        }
        assertThat(pairs.get(0).meanRankDifference()).isCloseTo(meanRank[0] - meanRank[1], within(1e-12));
        assertThat(pairs.get(2).meanRankDifference()).isCloseTo(meanRank[1] - meanRank[2], within(1e-12));
    }

    @Test
    void theClaimedPairsPValueIsTheVerdicts() {
        var c = GroupTests.many(List.of("trt2", "trt1", "ctrl"), List.of(TRT2, TRT1, CTRL), List.of(new Selection.Claimed("trt2", "trt1")));
        var claimed = c.claimedPairs().getFirst();
        assertThat(claimed.first()).isEqualTo("trt2");
        assertThat(claimed.second()).isEqualTo("trt1");
        assertThat(claimed.meanDifference()).isCloseTo(5.526 - 4.661, within(1e-12));
        assertThat(c.p()).isEqualTo(claimed.holmP());
        assertThat(GroupTests.many(NAMES, List.of(CTRL, TRT1, TRT2), List.of()).p()).isCloseTo(0.0159, within(5e-5));
        // two claimed pairs: the claim is as weak as its weaker pair
        var two = GroupTests.many(List.of("trt2", "trt1", "ctrl"), List.of(TRT2, TRT1, CTRL),
                List.of(new Selection.Claimed("trt2", "trt1"), new Selection.Claimed("trt2", "ctrl")));
        assertThat(two.claimedPairs()).hasSize(2);
        assertThat(two.p()).isEqualTo(Math.max(two.claimedPairs().get(0).holmP(), two.claimedPairs().get(1).holmP()));
    }
}
