package dev.labdesk.worker.agent.analysis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * report.md's tables as a data scientist checks them, from real files through the real profiler: each column's numbers in
 * one form (its values to its written precision, its quantiles exactly, its mean and sd a decimal finer), counts as
 * integers, no share or correlation rounded onto a bound it does not reach. Every expected cell was computed by hand
 * (Python's statistics module, linear quantiles, the bias-corrected skewness).
 */
class ReportNumbersTest extends ProfilerFixture {
    @Test
    void aColumnWrittenToOneDecimalShowsEveryValueToOneDecimal() throws Exception {
        var md = report("temps.csv", "sample_id,temperature\n1001,29.0\n1002,32\n1003,30.5\n1004,31\n1005,29.5\n1006,32\n1007,30\n1008,31.5\n");
        // min and max were "29.0" beside "32" (p95) and "32.0": now 29.0 and 32.0, the quantiles exactly, mean and sd to two decimals
        assertThat(md).contains("| temperature | DOUBLE | 0 | 7 | 30.69 | 1.13 | 29.0 | 29.175 | 29.875 | 30.750 | 31.625 | 32.000 | 32.0 | 0 | 0 | -0.226 |");
        // an id column: counts and shares, no mean
        assertThat(md).contains("| sample_id | id | 0 | 8 | `1001` 1 (12.5 %), `1002` 1 (12.5 %), `1003` 1 (12.5 %) | 8 |  |");
    }

    @Test
    void anIntegerColumnShowsIntegersAndItsInterpolatedQuantilesExactly() throws Exception {
        var md = report("colonies.csv", "plate,colonies\nP1,3\nP2,7\nP3,8\nP4,12\nP5,15\nP6,15\nP7,20\nP8,41\n");
        assertThat(md).contains("| colonies | BIGINT | 0 | 7 | 15.1 | 11.8 | 3 | 4.40 | 7.75 | 13.50 | 16.25 | 33.65 | 41 | 0 | 0 | 1.728 |");
    }

    @Test
    void aColumnWrittenToThreeDecimalsKeepsItsTrailingZero() throws Exception {
        var md = report("od.csv", "time_h,od600\n0,0.050\n1,0.124\n2,0.294\n3,0.635\n4,1.163\n");
        // DuckDB's min is "0.05": the table wrote 0.050
        assertThat(md).contains("| od600 | DOUBLE | 0 | 5 | 0.4532 | 0.4564 | 0.050 | 0.0648 | 0.1240 | 0.2940 | 0.6350 | 1.0574 | 1.163 | 0 | 0 | 1.132 |");
    }

    @Test
    void tinyValuesAreAllInScientificNotationAndLargeOnesKeepTheirDecimals() throws Exception {
        var tiny = report("conc.csv", "sample,conc_m\na,1.5e-07\nb,2.25e-07\nc,3.0e-08\nd,4.125e-07\ne,9.75e-08\n");
        // were "0.000000183" beside "3.0e-08": one notation for the column
        assertThat(tiny).contains("| conc_m | DOUBLE | 0 | 5 | 1.8300e-07 | 1.4684e-07 | 3.000e-08 | 4.350e-08 | 9.750e-08 | 1.500e-07 | 2.250e-07 | 3.750e-07 | 4.125e-07 | 0 | 0 | 1.042 |");
        var large = report("mass.csv", "sample,mass_g\na,182345.5\nb,3061.7\nc,250000.0\nd,99999.9\ne,120000.4\n");
        // were "22449" and "236469" for quantiles of a column written to one decimal
        assertThat(large).contains("| mass_g | DOUBLE | 0 | 5 | 131081.50 | 92530.45 | 3061.7 | 22449.34 | 99999.90 | 120000.40 | 182345.50 | 236469.10 | 250000.0 | 0 | 0 | -0.165 |");
    }

    @Test
    void aMeanThatIsNotWholeIsNotShownAsOne() throws Exception {
        // the mean is 11.003: it was "11", and a p25 of 99999.9 was "100000"
        var md = report("y.csv", "x,y\n1,2.01\n2,4.0\n3,6.02\n4,7.99\n5,10.0\n6,12.01\n7,14.0\n8,15.99\n9,18.0\n10,20.01\n");
        assertThat(md).contains("| y | DOUBLE | 0 | 10 | 11.003 | 6.053 | 2.01 | 2.9055 | 6.5125 | 11.0050 | 15.4925 | 19.1055 | 20.01 | 0 | 0 | 0.002 |");
    }

    @Test
    void oneMissingCellAmongThousandsIsNotZeroPercent() throws Exception {
        var csv = new StringBuilder("id,x\n");
        for (int i = 0; i < 1500; i++) csv.append(i).append(',').append(i == 700 ? "" : String.valueOf(i % 7)).append('\n');
        var md = report("many.csv", csv.toString());
        assertThat(md).contains("1500 rows, 2 columns (csv); 1 missing cell (< 0.1 %)");
    }

    @Test
    void aCorrelationShortOfOneIsNotShownAsOne() throws Exception {
        var md = report("pairs.csv", "x,y\n1,2.01\n2,4.0\n3,6.02\n4,7.99\n5,10.0\n6,12.01\n7,14.0\n8,15.99\n9,18.0\n11,22.01\n");
        // r = 0.99999894: "1.000" read as a perfect correlation
        assertThat(md).contains("| x | y | 0.999999 | 1.000 |"); // Spearman is exactly 1: the ranks agree
        assertThat(md).contains("highly correlated with y (Pearson 0.999999)");
    }

    private String report(String name, String csv) throws Exception {
        var file = volume.resolve(name);
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        var outcome = profiler.profile(name, file, FileFormat.ofName(name));
        assertThat(outcome).isInstanceOf(FileOutcome.Tables.class);
        var md = new StringBuilder();
        TableMarkdown.render(md, ((FileOutcome.Tables) outcome).tables().getFirst(), List.of());
        return md.toString();
    }
}
