package dev.labdesk.worker.agent.analysis.experiment;

import java.util.EnumSet;

import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.descriptive.Statistic;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * One group's numbers: {@code sd} is the sample standard deviation (n − 1), the 95 % interval of the
 * mean is t-based (mean ± t(0.975, n − 1)·sd/√n); null where n is too small for it (sd and CI below 2, skewness below 3).
 */
public record GroupSummary(String group, int n, double mean, Double sd, double median, Double ciLow, Double ciHigh,
                           double min, double max, Double skewness) {

    static GroupSummary of(String group, double[] values) {
        if (values.length == 0) throw new IllegalArgumentException("no values for group " + group);
        var s = DoubleStatistics.of(EnumSet.of(Statistic.MEAN, Statistic.STANDARD_DEVIATION, Statistic.MIN, Statistic.MAX,
                Statistic.SKEWNESS), values);
        int n = values.length;
        double mean = s.getAsDouble(Statistic.MEAN);
        double median = Median.withDefaults().evaluate(values.clone());
        Double sd = null, low = null, high = null, skew = null;
        if (n >= 2) {
            sd = s.getAsDouble(Statistic.STANDARD_DEVIATION);
            double half = TDistribution.of(n - 1).inverseSurvivalProbability(0.025) * sd / Math.sqrt(n);
            low = mean - half;
            high = mean + half;
        }
        if (n >= 3) {
            double k = s.getAsDouble(Statistic.SKEWNESS);
            skew = Double.isFinite(k) ? k : null;
        }
        return new GroupSummary(group, n, mean, sd, median, low, high, s.getAsDouble(Statistic.MIN), s.getAsDouble(Statistic.MAX), skew);
    }
}
