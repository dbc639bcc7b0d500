package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.model.ExperimentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A data scientist reading report.md's Hypothesis section: every number the verdict, a caveat or a chart's text repeats
 * (means, differences and their CIs, t, df, F, H, eta², Hedges' g, p, n, sds) is the very string of the table cell or
 * test line it repeats. The reports are real: files through the real profiler, the experiment analysis and the report writer.
 * The data are chosen so that three significant figures would differ from the tables (a t of −22.228, means of 12.32).
 */
class HypothesisProseMatchesTablesTest {
    private static final String NUMBER = "(-?[0-9][0-9.e+-]*)", P = "(p (?:=|<) [0-9.e+-]+)";

    @TempDir Path volume;
    @TempDir Path scratch;
    private final List<String> log = new ArrayList<>();

    @Test
    void theVerdictOnANamedPairOfThreeStrainsRepeatsTheGroupAndPairTablesCellForCell() throws Exception {
        var e = GrowthExperiment.seeded(11);
        e.writeExport(volume.resolve("export.csv"));
        e.writeLayoutCsv(volume.resolve("layout.csv"));
        var md = report("dlacZ grows slower than wt");

        var groups = rows(md, "| Strain | n | mean | sd | median | 95 % CI of the mean |");
        var pairs = rows(md, "| pair | difference of means | 95 % CI | Welch's t | df | p (Holm) | difference of mean ranks | Dunn's z | p (Holm) |");
        assertThat(groups).containsOnlyKeys("dlacZ", "wt", "dptsG");
        assertThat(pairs).hasSize(3);
        var verdict = find(md, "\\*\\*Verdict: supported\\.\\*\\* Supported: `dlacZ` is lower than `wt` as claimed, and significantly so: mean od \\(area under the curve\\) of `dlacZ` "
                + NUMBER + " vs `wt` " + NUMBER + ", difference " + NUMBER + " \\(95 % CI " + NUMBER + " to " + NUMBER + ", not adjusted\\); Welch's t = " + NUMBER
                + ", df = " + NUMBER + ", " + P + " \\(two-sided, Holm-adjusted over the 3 pairs of 3 groups\\); over all groups one-way ANOVA F\\((\\d+), (\\d+)\\) = " + NUMBER
                + ", " + P + ", eta² = " + NUMBER + "; Kruskal–Wallis H = " + NUMBER + ", df = (\\d+), " + P + "\\.");
        assertThat(verdict.group(1)).isEqualTo(groups.get("dlacZ").get(1));
        assertThat(verdict.group(2)).isEqualTo(groups.get("wt").get(1));
        var pair = pairs.get("**`dlacZ` − `wt`**");
        assertThat(verdict.group(3)).isEqualTo(pair.get(0));
        assertThat(verdict.group(4) + " to " + verdict.group(5)).isEqualTo(pair.get(1));
        assertThat(verdict.group(6)).isEqualTo(pair.get(2)).contains("."); // the t column's decimals, not three figures
        assertThat(verdict.group(6).replace("-", "").replace(".", "")).hasSizeGreaterThan(3);
        assertThat(verdict.group(7)).isEqualTo(pair.get(3));
        assertThat(verdict.group(8)).isEqualTo(p(pair.get(4)));
        var test = find(md, "\\*\\*Test:\\*\\* one-way ANOVA, F\\((\\d+), (\\d+)\\) = " + NUMBER + ", " + P + "; Kruskal–Wallis H = " + NUMBER + ", df = (\\d+), " + P);
        for (int g = 1; g <= 4; g++) assertThat(verdict.group(8 + g)).as("ANOVA number %d", g).isEqualTo(test.group(g));
        for (int g = 5; g <= 7; g++) assertThat(verdict.group(9 + g)).as("Kruskal–Wallis number %d", g).isEqualTo(test.group(g));
        assertThat(verdict.group(13)).isEqualTo(find(md, "\\*\\*Effect size:\\*\\* eta² = " + NUMBER).group(1));

        // the chart's text: each group's mean and n as the table has them
        var alt = find(md, "!\\[od \\(area under the curve\\) by Strain: ([^]]+)\\]").group(1);
        for (var g : groups.entrySet()) assertThat(alt).contains(g.getKey() + " mean " + g.getValue().get(1) + " (n = " + g.getValue().get(0) + ")");
    }

    @Test
    void theVerdictOnEachOfSeveralNamedPairsRepeatsItsRowOfThePairsTable() throws Exception {
        var e = GrowthExperiment.seeded(11);
        e.writeExport(volume.resolve("export.csv"));
        e.writeLayoutCsv(volume.resolve("layout.csv"));
        var md = report("wt grows faster than dlacZ and dptsG");

        var pairs = rows(md, "| pair | difference of means | 95 % CI | Welch's t | df | p (Holm) | difference of mean ranks | Dunn's z | p (Holm) |");
        var named = pairs.keySet().stream().filter(k -> k.startsWith("**")).toList();
        assertThat(named).containsExactly("**`wt` − `dlacZ`**", "**`wt` − `dptsG`**");
        var verdict = find(md, "\\*\\*Verdict: [^\n]+").group();
        for (var name : named) {
            var row = pairs.get(name);
            var m = find(verdict, Pattern.quote(name.substring(2, name.length() - 2)) + " " + NUMBER + " \\(95 % CI " + NUMBER + " to " + NUMBER
                    + ", not adjusted; Welch's t = " + NUMBER + ", df = " + NUMBER + ", " + P + " Holm-adjusted\\)");
            assertThat(m.group(1)).isEqualTo(row.get(0));
            assertThat(m.group(2) + " to " + m.group(3)).isEqualTo(row.get(1));
            assertThat(m.group(4)).isEqualTo(row.get(2));
            assertThat(m.group(5)).isEqualTo(row.get(3));
            assertThat(m.group(6)).isEqualTo(p(row.get(4)));
        }
    }

    @Test
    void theVerdictOnTwoGroupsAndItsUnequalVarianceCaveatRepeatTheGroupTableAndTheTestLines() throws Exception {
        // wt 12.1 … 13.0 (mean 12.32), mutant 4.3 … 11.6 (mean 7.82): means to two decimals in the table, sds more than twice apart
        var wt = new double[] {12.1, 12.9, 11.4, 12.6, 13.0, 11.9};
        var mutant = new double[] {5.2, 9.8, 7.1, 11.6, 4.3, 8.9};
        var csv = new StringBuilder("strain,yield_g\n");
        Arrays.stream(wt).forEach(v -> csv.append("wt,").append(v).append('\n'));
        Arrays.stream(mutant).forEach(v -> csv.append("mutant,").append(v).append('\n'));
        Files.writeString(volume.resolve("yields.csv"), csv);
        var md = report("wt yield_g is higher than mutant");

        var groups = rows(md, "| strain | n | mean | sd | median | 95 % CI of the mean |");
        assertThat(groups.get("wt").get(1)).isEqualTo("12.32"); // by hand: 73.9 / 6
        assertThat(groups.get("mutant").get(1)).isEqualTo("7.82"); // 46.9 / 6
        var verdict = find(md, "Supported: `wt` is higher than `mutant` as claimed, and significantly so: mean yield_g of `wt` " + NUMBER + " vs `mutant` " + NUMBER
                + ", difference " + NUMBER + " \\(95 % CI " + NUMBER + " to " + NUMBER + "\\); Welch's t = " + NUMBER + ", df = " + NUMBER + ", " + P
                + " \\(two-sided\\); Hedges' g = " + NUMBER + "\\.");
        assertThat(verdict.group(1)).isEqualTo(groups.get("wt").get(1));
        assertThat(verdict.group(2)).isEqualTo(groups.get("mutant").get(1));
        var test = find(md, "\\*\\*Test:\\*\\* Welch's t-test \\(unequal variances\\), `wt` − `mutant`: difference of means " + NUMBER + " \\(95 % CI " + NUMBER + " to "
                + NUMBER + "\\), t = " + NUMBER + ", df = " + NUMBER + ", " + P + " two-sided");
        for (int g = 1; g <= 6; g++) assertThat(verdict.group(2 + g)).as("test number %d", g).isEqualTo(test.group(g));
        assertThat(verdict.group(3)).isEqualTo("4.50"); // 12.32 − 7.82 in the means' decimals
        assertThat(verdict.group(9)).isEqualTo(find(md, "\\*\\*Effect size:\\*\\* Hedges' g = " + NUMBER).group(1));

        var caveat = find(md, "- Unequal variances \\(sd " + NUMBER + " vs " + NUMBER + "\\): Welch's t-test was used");
        assertThat(caveat.group(1)).isEqualTo(groups.get("wt").get(2));
        assertThat(caveat.group(2)).isEqualTo(groups.get("mutant").get(2));
        var alt = find(md, "!\\[yield_g by strain: ([^]]+)\\]").group(1);
        assertThat(alt).isEqualTo("wt mean " + groups.get("wt").get(1) + " (n = 6), mutant mean " + groups.get("mutant").get(1) + " (n = 6)");
    }

    private String report(String hypothesis) throws Exception {
        var md = Analysed.reportMd(volume, scratch, new ExperimentContext("e", null, null, hypothesis, null, List.of(), Map.of()), log);
        assertThat(md).as(String.join("\n", log)).contains("## Hypothesis");
        return md;
    }

    /** "p < 0.001" for a cell "< 0.001", "p = 0.0123" for "0.0123". */
    private static String p(String cell) {
        return cell.startsWith("<") ? "p " + cell : "p = " + cell;
    }

    private static Matcher find(String md, String regex) {
        var m = Pattern.compile(regex).matcher(md);
        assertThat(m.find()).as("report.md has /%s/:%n%s", regex, md).isTrue();
        return m;
    }

    /** The rows of the Markdown table under {@code header}: first cell → the other cells. */
    private static Map<String, List<String>> rows(String md, String header) {
        int at = md.indexOf(header);
        assertThat(at).as("report.md has the table %s", header).isNotNegative();
        var out = new LinkedHashMap<String, List<String>>();
        var lines = md.substring(at).lines().skip(2).takeWhile(l -> l.startsWith("|")).toList();
        for (var l : lines) {
            var cells = Arrays.stream(l.substring(1, l.length() - 1).split(" \\| ", -1)).map(String::strip).toList();
            out.put(cells.getFirst(), cells.subList(1, cells.size()));
        }
        return out;
    }
}
