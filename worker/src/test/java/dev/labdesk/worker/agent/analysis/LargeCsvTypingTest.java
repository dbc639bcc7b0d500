package dev.labdesk.worker.agent.analysis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * CSVs longer than the part DuckDB's sniffer looks at, and than the part the profile probes for unique and few-valued
 * columns: a late placeholder, a late word or a NaN in a column typed as numbers is still counted as the Typer counts it,
 * and distinct counts stay exact whichever way they are found. Every expected number follows from how the file is made.
 */
class LargeCsvTypingTest extends ProfilerFixture {
    private static final int ROWS = 40_000;
    @Test
    void valuesFarDownThatDoNotFitTheSniffedTypeAreCountedAsPlaceholdersOrExceptions() throws Exception {
        var csv = new StringBuilder("n,od,day,group,ratio\n");
        for (int i = 0; i < ROWS; i++) {
            var od = i == 30_000 ? "NA" : i == 35_000 ? "x" : String.valueOf(i % 100);
            var ratio = i == 32_000 ? "NaN" : (i % 7) + ".5";
            var day = i == 36_000 ? "n/a" : java.time.LocalDate.of(2020, 1, 1).plusDays(i % 366).toString();
            csv.append(i).append(',').append(od).append(',').append(day).append(',').append(i == 38_000 ? "-" : i % 3 == 0 ? "a" : "b")
                    .append(',').append(ratio).append('\n');
        }
        var t = table("late.csv", csv.toString());

        assertThat(t.rows()).isEqualTo(ROWS);
        assertThat(t.notes()).noneSatisfy(n -> assertThat(n).contains("malformed"));
        var od = col(t, "od");
        assertThat(od.type()).isEqualTo("BIGINT");
        assertThat(od.missingTokens()).containsExactly(java.util.Map.entry("NA", 1L));
        assertThat(od.invalid()).isEqualTo(1);
        assertThat(od.invalidExamples()).containsExactly("x");
        assertThat(od.count()).isEqualTo(ROWS - 2);
        long odSum = IntStream.range(0, ROWS).filter(i -> i != 30_000 && i != 35_000).mapToLong(i -> i % 100).sum();
        assertThat(od.mean()).isCloseTo((double) odSum / (ROWS - 2), within(1e-9));

        var ratio = col(t, "ratio");
        assertThat(ratio.type()).isEqualTo("DOUBLE");
        assertThat(ratio.missingTokens()).containsExactly(java.util.Map.entry("NaN", 1L));
        assertThat(ratio.count()).isEqualTo(ROWS - 1);
        assertThat(ratio.max()).isEqualTo("6.5");

        var day = col(t, "day");
        assertThat(day.type()).isEqualTo("DATE");
        assertThat(day.dateFormat()).isEqualTo("ISO 8601");
        assertThat(day.missingTokens()).containsExactly(java.util.Map.entry("n/a", 1L));
        assertThat(day.distinct()).isEqualTo(366);

        var group = col(t, "group"); // few distinct values: typed over them, weighted by their counts
        assertThat(group.type()).isEqualTo("VARCHAR");
        assertThat(group.missingTokens()).containsExactly(java.util.Map.entry("-", 1L));
        long a = IntStream.range(0, ROWS).filter(i -> i != 38_000 && i % 3 == 0).count();
        assertThat(group.topValues()).extracting(TableProfile.Value::value, TableProfile.Value::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", ROWS - 1 - a), org.assertj.core.groups.Tuple.tuple("a", a));
        assertThat(t.sample().getFirst()).containsEntry("ratio", "0.5").containsEntry("od", "0");
    }

    @Test
    void distinctCountsAreExactForUniqueNearlyUniqueAndRepeatedColumns() throws Exception {
        var csv = new StringBuilder("key,near,code,tag\n");
        for (int i = 0; i < ROWS; i++) {
            long key = (i * 7_919L) % ROWS; // a permutation of 0..ROWS-1: unique, not in order
            int near = i == ROWS - 1 ? 5 : i; // unique in the first rows, one repeat at the end
            csv.append(key).append(',').append(near).append(',').append("K").append((i * 31) % ROWS).append(',').append("t").append(i % 13).append('\n');
        }
        var t = table("keys.csv", csv.toString());

        var key = col(t, "key");
        assertThat(key.distinct()).isEqualTo(ROWS);
        assertThat(key.distinctExact()).isTrue();
        assertThat(key.singletons()).isEqualTo(ROWS);
        assertThat(key.kind()).isEqualTo("id");
        assertThat(key.topValues()).extracting(TableProfile.Value::value).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(key.topValues()).allSatisfy(v -> assertThat(v.count()).isEqualTo(1));

        var near = col(t, "near");
        assertThat(near.distinct()).isEqualTo(ROWS - 1);
        assertThat(near.singletons()).isEqualTo(ROWS - 2);
        assertThat(near.topValues().getFirst()).satisfies(v -> {
            assertThat(v.value()).isEqualTo("5");
            assertThat(v.count()).isEqualTo(2);
        });

        var code = col(t, "code"); // unique text
        assertThat(code.distinct()).isEqualTo(ROWS);
        assertThat(code.kind()).isEqualTo("id");
        assertThat(col(t, "tag").distinct()).isEqualTo(13);
        assertThat(t.duplicateRows()).isZero();
        // a unique numeric column's quantiles from the column itself: the permutation's are those of 0..ROWS-1
        var unique = table("scores.csv", "score\n" + String.join("\n", IntStream.range(0, ROWS).mapToObj(i -> ((i * 7_919L) % ROWS) + ".5").toList()) + "\n");
        var score = col(unique, "score");
        assertThat(score.distinct()).isEqualTo(ROWS);
        assertThat(score.median()).isCloseTo((ROWS - 1) / 2.0 + 0.5, within(1e-9));
        assertThat(score.p25()).isCloseTo((ROWS - 1) * 0.25 + 0.5, within(1e-9));
        assertThat(score.histogram().counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(ROWS);
    }

    private TableProfile table(String name, String csv) throws Exception {
        var file = volume.resolve(name);
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        var o = profiler.profile(name, file, FileFormat.ofName(name));
        assertThat(o).isInstanceOf(FileOutcome.Tables.class);
        return ((FileOutcome.Tables) o).tables().getFirst();
    }

    private static TableProfile.Column col(TableProfile t, String name) {
        return t.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no column " + name));
    }
}
