package dev.labdesk.worker.agent.analysis;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The profiler on real files with a real DuckDB: every expected number is known from how the
 * fixture was made, or computed here by hand from the same values.
 */
class TableProfilerTest extends ProfilerFixture {
    @Test
    void distinctCountsAreExactAndNeverAboveTheValues() throws Exception {
        var csv = new StringBuilder("id,day,group,value\n");
        var start = LocalDate.of(2000, 1, 1);
        for (int i = 0; i < 4_000; i++)
            csv.append(String.format("S%05d", i * 7 + 3)).append(',').append(start.plusDays(i % 1_461)).append(',')
                    .append("g").append(i % 37).append(',').append(i % 997 == 0 ? "" : String.valueOf(i % 1_234)).append('\n');
        var t = table("big.csv", csv.toString());
        assertThat(t.rows()).isEqualTo(4_000);
        assertThat(col(t, "id").distinct()).isEqualTo(4_000);
        assertThat(col(t, "id").kind()).isEqualTo("id");
        assertThat(col(t, "id").mean()).isNull();
        assertThat(col(t, "day").distinct()).isEqualTo(1_461);
        assertThat(col(t, "day").type()).isEqualTo("DATE");
        assertThat(col(t, "group").distinct()).isEqualTo(37);
        var value = col(t, "value");
        long blanks = IntStream.range(0, 4_000).filter(i -> i % 997 == 0).count();
        assertThat(value.nulls()).isEqualTo(blanks);
        assertThat(value.count()).isEqualTo(4_000 - blanks);
        long distinct = IntStream.range(0, 4_000).filter(i -> i % 997 != 0).map(i -> i % 1_234).distinct().count();
        assertThat(value.distinct()).isEqualTo(distinct).isLessThanOrEqualTo(value.count());
        assertThat(t.columns()).allSatisfy(c -> {
            assertThat(c.distinctExact()).isTrue();
            assertThat(c.distinct()).isLessThanOrEqualTo(c.count());
        });
    }

    @Test
    void placeholderTokensAreMissingAndTheColumnStaysNumeric() throws Exception {
        var t = table("tokens.csv", "sample,od\ns1,1.5\ns2,NA\ns3,2.5\ns4,N/A\ns5,.\ns6,3.5\ns7,null\ns8,\ns9, NaN \ns10,-\n");
        var od = col(t, "od");
        assertThat(od.type()).isEqualTo("DOUBLE");
        assertThat(od.kind()).isEqualTo("numeric");
        assertThat(od.count()).isEqualTo(3);
        assertThat(od.nulls()).isEqualTo(7);
        assertThat(od.missingTokens()).containsOnlyKeys("NA", "N/A", ".", "null", "NaN", "-");
        assertThat(od.invalid()).isZero();
        assertThat(od.mean()).isCloseTo(2.5, within(1e-12));
        assertThat(od.min()).isEqualTo("1.5");
        assertThat(t.missingCells()).isEqualTo(7);
        assertThat(t.alerts()).anySatisfy(a -> assertThat(a.type()).isEqualTo("placeholders"));
        assertThat(t.alerts()).anySatisfy(a -> assertThat(a.type()).isEqualTo("missing"));
    }

    @Test
    void nonIsoDatesAreReadChronologicallyAndTheirDayMonthOrderIsStated() throws Exception {
        var t = table("dates.csv", """
                written,dmy,ambiguous,stamp
                Sep 9 2000,01/04/2000,01/04/2000,2000-04-01 13:00
                Mar 3 1999,13/04/2000,02/04/2000,2000-04-02 08:30
                Feb 1 2001,02/05/2000,03/04/2000,2000-04-01 09:15
                """);
        var written = col(t, "written");
        assertThat(written.type()).isEqualTo("DATE");
        assertThat(written.min()).isEqualTo("1999-03-03");
        assertThat(written.max()).isEqualTo("2001-02-01");
        assertThat(written.dateFormat()).isEqualTo("Mon d yyyy");
        var dmy = col(t, "dmy");
        assertThat(dmy.min()).isEqualTo("2000-04-01");
        assertThat(dmy.max()).isEqualTo("2000-05-02");
        assertThat(dmy.dateNote()).startsWith("day/month inferred").contains("13/04/2000");
        var ambiguous = col(t, "ambiguous");
        assertThat(ambiguous.dateNote()).startsWith("month/day assumed");
        assertThat(ambiguous.min()).isEqualTo("2000-01-04");
        var stamp = col(t, "stamp");
        assertThat(stamp.type()).isEqualTo("TIMESTAMP");
        assertThat(stamp.min()).isEqualTo("2000-04-01 09:15:00");
        assertThat(stamp.max()).isEqualTo("2000-04-02 08:30:00");
        assertThat(stamp.largestGap().seconds()).isEqualTo((19 * 60 + 30) * 60.0);
        assertThat(stamp.histogram().counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        assertThat(stamp.histogram().labels()).first().isEqualTo("2000-04-01 09:15:00");
    }

    @Test
    void aMixedColumnTakesItsMajorityTypeAndCountsTheExceptions() throws Exception {
        var t = table("mixed.csv", "n,v\n1,1\n2,2\n3,x\n4,4\n5,<0.1\n");
        var v = col(t, "v");
        assertThat(v.type()).isEqualTo("BIGINT");
        assertThat(v.invalid()).isEqualTo(2);
        assertThat(v.invalidExamples()).containsExactly("<0.1", "x");
        assertThat(v.count()).isEqualTo(3);
        assertThat(v.nulls()).isZero();
        assertThat(v.mean()).isCloseTo(7 / 3.0, within(1e-12));
        assertThat(t.alerts()).anySatisfy(a -> {
            assertThat(a.type()).isEqualTo("mixed_types");
            assertThat(a.column()).isEqualTo("v");
        });
        // sequential integers are an identifier: no mean
        assertThat(col(t, "n").kind()).isEqualTo("id");
        assertThat(col(t, "n").mean()).isNull();

        var json = outcome("mixed.json", "[{\"v\":1},{\"v\":\"x\"},{\"v\":2},{\"v\":3}]");
        var jv = ((FileOutcome.Tables) json).tables().getFirst().columns().getFirst();
        assertThat(jv.type()).isEqualTo("BIGINT");
        assertThat(jv.min()).isEqualTo("1");
        assertThat(jv.invalidExamples()).containsExactly("x");
    }

    @Test
    void numericStatisticsMatchAHandComputation() throws Exception {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] y = {0, 3, -1, 0, 8, 8, 2, 10, 11, 0};
        var csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < x.length; i++) csv.append(x[i]).append(',').append(y[i]).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        csv.append("1.0,0,even\n1.0,0,even\n"); // the first row twice more: 2 duplicate rows
        var t = table("numbers.csv", csv.toString());
        double[] xs = Arrays.copyOf(x, 12);
        xs[10] = 1;
        xs[11] = 1;
        double[] ys = Arrays.copyOf(y, 12);
        assertThat(t.duplicateRows()).isEqualTo(2);
        var cx = col(t, "x");
        assertThat(cx.kind()).isEqualTo("numeric");
        assertThat(cx.mean()).isCloseTo(Arrays.stream(xs).average().orElseThrow(), within(1e-12));
        assertThat(cx.std()).isCloseTo(sd(xs), within(1e-12));
        assertThat(cx.p5()).isCloseTo(quantile(xs, 0.05), within(1e-12));
        assertThat(cx.p25()).isCloseTo(quantile(xs, 0.25), within(1e-12));
        assertThat(cx.median()).isCloseTo(quantile(xs, 0.5), within(1e-12));
        assertThat(cx.p75()).isCloseTo(quantile(xs, 0.75), within(1e-12));
        assertThat(cx.p95()).isCloseTo(quantile(xs, 0.95), within(1e-12));
        assertThat(cx.distinct()).isEqualTo(10);
        var cy = col(t, "y");
        assertThat(cy.zeros()).isEqualTo(5);
        assertThat(cy.negatives()).isEqualTo(1);
        assertThat(cy.skewness()).isCloseTo(skewness(ys), within(1e-9));
        assertThat(cy.histogram().counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(12);
        assertThat(cy.histogram().edges()).hasSize(cy.histogram().counts().size() + 1);
        assertThat(cy.histogram().edges().getFirst()).isEqualTo(-1.0);
        assertThat(cy.histogram().edges().getLast()).isEqualTo(11.0);
        var corr = t.correlations().stream().filter(k -> k.a().equals("x") && k.b().equals("y")).findFirst().orElseThrow();
        assertThat(corr.pearson()).isCloseTo(pearson(xs, ys), within(1e-9));
        assertThat(corr.spearman()).isCloseTo(pearson(ranks(xs), ranks(ys)), within(1e-9));
        assertThat(t.alerts()).anySatisfy(a -> assertThat(a.type()).isEqualTo("duplicates"));
        assertThat(t.alerts()).anySatisfy(a -> assertThat(a.type()).isEqualTo("zeros"));

        var label = col(t, "label");
        assertThat(label.kind()).isEqualTo("categorical");
        assertThat(label.topValues()).extracting(TableProfile.Value::value).containsExactly("even", "odd");
        assertThat(label.topValues().getFirst().count()).isEqualTo(7);
        assertThat(label.topValues().getFirst().share()).isCloseTo(7 / 12.0, within(1e-12));
    }

    @Test
    void categoriesGetTopValuesRareValuesAndAnImbalanceAlert() throws Exception {
        var csv = new StringBuilder("strain\n");
        for (var s : List.of("wt", "wt", "wt", "wt", "wt", "wt", "wt", "wt", "wt", "wt", "wt", "wt", "wt", "wt", "wt", "wt", "mut", "dlacZ", "x"))
            csv.append(s).append('\n');
        var c = col(table("strains.csv", csv.toString()), "strain");
        assertThat(c.kind()).isEqualTo("categorical");
        assertThat(c.distinct()).isEqualTo(4);
        assertThat(c.singletons()).isEqualTo(3);
        assertThat(c.topValues()).extracting(TableProfile.Value::value).containsExactly("wt", "dlacZ", "mut", "x");
        double n = 19, entropy = -(16 / n * Math.log(16 / n)) - 3 * (1 / n * Math.log(1 / n));
        assertThat(c.imbalance()).isCloseTo(1 - entropy / Math.log(4), within(1e-12));
        assertThat(c.lengthMin()).isEqualTo(1.0);
        assertThat(c.lengthMax()).isEqualTo(5.0);
    }

    @Test
    void aRaggedCsvKeepsItsColumnsAndNamesItsBadLines() throws Exception {
        var t = table("ragged.csv", "x,y\n1,2\n3\n4,5,6\n7,8\n\"a,b\",9\n");
        assertThat(t.columns()).extracting(TableProfile.Column::name).containsExactly("x", "y");
        assertThat(t.rows()).isEqualTo(3);
        assertThat(t.notes()).anySatisfy(n -> assertThat(n).contains("2 malformed lines").contains("lines 3, 4").contains("3 rows read"));
    }

    @Test
    void latin1TextIsReadAsWindows1252() throws Exception {
        Files.write(volume.resolve("latin.csv"), "name,city,price\nJosé,Köln,5 €\nAnaïs,Besançon,7 €\n".getBytes("windows-1252"));
        var t = tables(profiler.profile("latin.csv", volume.resolve("latin.csv"), FileFormat.CSV)).getFirst();
        assertThat(col(t, "name").topValues()).extracting(TableProfile.Value::value).containsExactlyInAnyOrder("José", "Anaïs");
        assertThat(col(t, "city").min()).isEqualTo("Besançon");
        assertThat(col(t, "price").max()).isEqualTo("7 €");
        assertThat(t.notes()).contains("not UTF-8: read as Windows-1252 (Latin-1)");
    }

    @Test
    void jsonThatIsNotATableIsADocumentWithItsKeys() throws Exception {
        var geo = outcome("map.json", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"a\":1},\"geometry\":null}]}");
        assertThat(geo).isInstanceOfSatisfying(FileOutcome.NotTable.class, d -> {
            assertThat(d.document().kind()).isEqualTo("GeoJSON");
            assertThat(d.document().keys()).containsExactly("type", "features");
        });
        var topo = outcome("topo.json", "{\"type\":\"Topology\",\"objects\":{\"states\":{}},\"arcs\":[[[0,0]]],\"transform\":{\"scale\":[1,1]}}");
        assertThat(topo).isInstanceOfSatisfying(FileOutcome.NotTable.class, d -> {
            assertThat(d.document().kind()).isEqualTo("TopoJSON");
            assertThat(d.document().keys()).containsExactly("type", "objects", "arcs", "transform");
        });
        assertThat(outcome("settings.json", "{\"instrument\":{\"name\":\"reader\"},\"gain\":100}"))
                .isInstanceOfSatisfying(FileOutcome.NotTable.class, d -> assertThat(d.document().kind()).isEqualTo("JSON object"));
        // a flat object is one row, an array of records a table
        assertThat(tables(outcome("row.json", "{\"a\":1,\"b\":\"x\"}")).getFirst().rows()).isEqualTo(1);
        assertThat(tables(outcome("rows.json", "[{\"a\":1},{\"a\":2}]")).getFirst().rows()).isEqualTo(2);
    }

    @Test
    void everySheetOfAWorkbookIsATable() throws Exception {
        var file = volume.resolve("plate.xlsx");
        try (var wb = new XSSFWorkbook(); var out = Files.newOutputStream(file)) {
            var plate = wb.createSheet("Plate 1");
            var header = plate.createRow(0);
            header.createCell(0).setCellValue("well");
            header.createCell(1).setCellValue("od600");
            header.createCell(2).setCellValue("read at");
            var dates = wb.createCellStyle();
            dates.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            for (int i = 0; i < 3; i++) {
                var row = plate.createRow(i + 1);
                row.createCell(0).setCellValue("A" + (i + 1));
                row.createCell(1).setCellValue(0.1 * (i + 1));
                var d = row.createCell(2);
                d.setCellValue(LocalDate.of(2024, 3, 1 + i));
                d.setCellStyle(dates);
            }
            var notes = wb.createSheet("Notes");
            notes.createRow(0).createCell(0).setCellValue("note");
            notes.createRow(1).createCell(0).setCellValue("reader warmed up");
            wb.write(out);
        }
        var sheets = tables(profiler.profile("plate.xlsx", file, FileFormat.XLSX));
        assertThat(sheets).extracting(TableProfile::path).containsExactly("plate.xlsx#Plate 1", "plate.xlsx#Notes");
        var plate = sheets.getFirst();
        assertThat(plate.rows()).isEqualTo(3);
        assertThat(col(plate, "od600").type()).isEqualTo("DOUBLE");
        assertThat(col(plate, "od600").mean()).isCloseTo(0.2, within(1e-12));
        assertThat(col(plate, "read at").type()).isEqualTo("DATE");
        assertThat(col(plate, "read at").max()).isEqualTo("2024-03-03");
        assertThat(sheets.get(1).rows()).isEqualTo(1);
    }

    @Test
    void badInputIsListedWithAReasonThatNamesNoServerPath() throws Exception {
        Files.write(volume.resolve("junk.csv"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 1, 2, 3, 0, 0, (byte) 0xff});
        assertThat(outcome("junk.csv", null)).isInstanceOfSatisfying(FileOutcome.NotRead.class, n -> assertThat(n.reason()).contains("binary"));
        Files.write(volume.resolve("empty.csv"), new byte[0]);
        assertThat(outcome("empty.csv", null)).isInstanceOfSatisfying(FileOutcome.NotRead.class, n -> assertThat(n.reason()).contains("empty"));
        var header = table("header.csv", "a,b,c\n");
        assertThat(header.rows()).isZero();
        assertThat(header.columns()).extracting(TableProfile.Column::name).containsExactly("a", "b", "c");
        Files.write(volume.resolve("t.arrow"), new byte[] {'A', 'R', 'R', 'O', 'W', '1'});
        assertThat(outcome("t.arrow", null)).isInstanceOfSatisfying(FileOutcome.NotRead.class, n -> assertThat(n.reason()).startsWith("not read: "));
        Files.writeString(volume.resolve("broken.xlsx"), "not a zip");
        assertThat(outcome("broken.xlsx", null)).isInstanceOfSatisfying(FileOutcome.NotRead.class, n -> assertThat(n.reason()).startsWith("not read: "));
        try {
            outcome("truncated.json", "[{\"a\": 1, broken");
        } catch (SQLException e) {
            var reason = Reasons.withoutServerPaths(e.getMessage(), volume, scratch);
            assertThat(e.getMessage()).contains(volume.toString()); // DuckDB names the file by its path…
            assertThat(reason).doesNotContain(volume.toString()).doesNotContain(scratch.toString()); // …the reason does not
        }
    }

    @Test
    void aTenThousandColumnCsvIsProfiled() throws Exception {
        var csv = new StringBuilder();
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 10_000; c++) csv.append(c == 0 ? "" : ",").append(r == 0 ? "c" + c : String.valueOf(r * c));
            csv.append('\n');
        }
        var t = table("wide.csv", csv.toString());
        assertThat(t.columns()).hasSize(10_000);
        assertThat(t.rows()).isEqualTo(3);
        assertThat(col(t, "c9999").type()).isEqualTo("BIGINT");
        assertThat(col(t, "c9999").distinct()).isEqualTo(3);
        assertThat(col(t, "c9999").max()).isEqualTo("29997");
    }

    @Test
    void quantilesAndSpearmanWithTiesAndMissingValuesMatchAHandComputation() throws Exception {
        // a, b and c each miss values in different rows; a and b have ties; c is complete, d is a double with a NaN placeholder
        String[] a = {"3", "1", "", "3", "2", "2", "7", "NA", "3", "5", "1", "9"};
        String[] b = {"10", "", "4", "4", "8", "-", "1", "2", "2", "6", "6", "0"};
        String[] c = {"5", "3", "3", "8", "1", "9", "2", "7", "7", "4", "6", "0"};
        String[] d = {"0.5", "2.5", "NaN", "0.5", "1.25", "9", "2.5", "3", "-1", "0.5", "4", "2"};
        var csv = new StringBuilder("a,b,c,d\n");
        for (int i = 0; i < a.length; i++) csv.append(a[i]).append(',').append(b[i]).append(',').append(c[i]).append(',').append(d[i]).append('\n');
        var t = table("ties.csv", csv.toString());
        for (var name : List.of("a", "d")) {
            var values = Arrays.stream(name.equals("a") ? a : d).filter(v -> !List.of("", "NA", "NaN").contains(v)).mapToDouble(Double::parseDouble).toArray();
            var column = col(t, name);
            assertThat(column.count()).isEqualTo(values.length);
            assertThat(column.p5()).isCloseTo(quantile(values, 0.05), within(1e-12));
            assertThat(column.p25()).isCloseTo(quantile(values, 0.25), within(1e-12));
            assertThat(column.median()).isCloseTo(quantile(values, 0.5), within(1e-12));
            assertThat(column.p75()).isCloseTo(quantile(values, 0.75), within(1e-12));
            assertThat(column.p95()).isCloseTo(quantile(values, 0.95), within(1e-12));
        }
        assertThat(col(t, "d").type()).isEqualTo("DOUBLE");
        assertThat(col(t, "d").nulls()).isEqualTo(1);
        for (var pair : List.of(List.of(a, b), List.of(a, c), List.of(b, c))) {
            var x = pair.get(0);
            var y = pair.get(1);
            var both = IntStream.range(0, x.length).filter(i -> number(x[i]) && number(y[i])).toArray();
            double[] xs = Arrays.stream(both).mapToDouble(i -> Double.parseDouble(x[i])).toArray();
            double[] ys = Arrays.stream(both).mapToDouble(i -> Double.parseDouble(y[i])).toArray();
            var names = List.of(x == a ? "a" : "b", y == b ? "b" : "c");
            var k = t.correlations().stream().filter(r -> r.a().equals(names.get(0)) && r.b().equals(names.get(1))).findFirst().orElseThrow();
            assertThat(k.pearson()).as("Pearson " + names).isCloseTo(pearson(xs, ys), within(1e-9));
            assertThat(k.spearman()).as("Spearman " + names).isCloseTo(pearson(ranks(xs), ranks(ys)), within(1e-9));
        }
    }

    @Test
    void duplicateRowsAreCountedWhenAnIdentifierColumnHasGapsAndAreNoneWhenItIsCompleteAndUnique() throws Exception {
        // id is unique where it has a value, but two rows without one are otherwise the same: one duplicate
        var gaps = table("gaps.csv", "id,label\n1,a\n2,a\n,b\n,b\n3,b\n");
        assertThat(gaps.duplicateRows()).isEqualTo(1);
        var unique = table("unique.csv", "id,label\n1,a\n2,a\n3,a\n4,a\n");
        assertThat(col(unique, "id").distinct()).isEqualTo(4);
        assertThat(unique.duplicateRows()).isZero();
        var repeated = table("repeated.csv", "x,label\n1,a\n1,a\n2,b\n1,a\n");
        assertThat(repeated.duplicateRows()).isEqualTo(2);
    }

    @Test
    void theLargestGapBetweenDatesIsTheEarliestOfEqualOnes() throws Exception {
        var csv = new StringBuilder("day\n");
        for (var d : List.of("2020-01-05", "2020-01-01", "2020-01-03", "2020-01-04", "2020-01-06", "2020-01-08", "2020-01-06")) csv.append(d).append('\n');
        var gap = col(table("days.csv", csv.toString()), "day").largestGap();
        assertThat(gap.from()).isEqualTo("2020-01-01");
        assertThat(gap.to()).isEqualTo("2020-01-03");
        assertThat(gap.seconds()).isEqualTo(2 * 86_400.0);
        assertThat(gap.medianSeconds()).isEqualTo(86_400.0);
    }

    @Test
    void aMemoryLimitIsASizeOrTheDefault() {
        assertThat(TableProfiler.memoryLimit("512MB")).isEqualTo("512MB");
        assertThat(TableProfiler.memoryLimit(" 2GiB ")).isEqualTo("2GiB");
        assertThat(TableProfiler.memoryLimit(null)).isEqualTo(TableProfiler.DEFAULT_MEMORY_LIMIT);
        assertThat(TableProfiler.memoryLimit("1GB'; DROP TABLE x; --")).isEqualTo(TableProfiler.DEFAULT_MEMORY_LIMIT);
        assertThat(TableProfiler.memoryLimit("lots")).isEqualTo(TableProfiler.DEFAULT_MEMORY_LIMIT);
    }

    private static boolean number(String v) {
        return !List.of("", "NA", "-", "NaN").contains(v);
    }

    private TableProfile table(String name, String csv) throws Exception {
        return tables(outcome(name, csv)).getFirst();
    }

    private FileOutcome outcome(String name, String content) throws Exception {
        var file = volume.resolve(name);
        if (content != null) Files.writeString(file, content, StandardCharsets.UTF_8);
        return profiler.profile(name, file, FileFormat.ofName(name));
    }

    private static List<TableProfile> tables(FileOutcome o) {
        assertThat(o).isInstanceOf(FileOutcome.Tables.class);
        return ((FileOutcome.Tables) o).tables();
    }

    private static TableProfile.Column col(TableProfile t, String name) {
        return t.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no column " + name));
    }

    private static double sd(double[] v) {
        double m = Arrays.stream(v).average().orElseThrow();
        return Math.sqrt(Arrays.stream(v).map(a -> (a - m) * (a - m)).sum() / (v.length - 1));
    }

    /** Linear interpolation between closest ranks (numpy's default, DuckDB's quantile_cont). */
    private static double quantile(double[] v, double q) {
        var s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        return lo + 1 < s.length ? s[lo] + (pos - lo) * (s[lo + 1] - s[lo]) : s[lo];
    }

    /** The sample skewness with the bias correction DuckDB (and pandas) use. */
    private static double skewness(double[] v) {
        int n = v.length;
        double m = Arrays.stream(v).average().orElseThrow();
        double m2 = Arrays.stream(v).map(a -> Math.pow(a - m, 2)).sum() / n, m3 = Arrays.stream(v).map(a -> Math.pow(a - m, 3)).sum() / n;
        return Math.sqrt((double) n * (n - 1)) / (n - 2) * m3 / Math.pow(m2, 1.5);
    }

    private static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElseThrow(), mb = Arrays.stream(b).average().orElseThrow();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** Average ranks, 1-based: tied values share the mean of the ranks they span. */
    private static double[] ranks(double[] v) {
        var out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int below = 0, equal = 0;
            for (double w : v) {
                if (w < v[i]) below++;
                else if (w == v[i]) equal++;
            }
            out[i] = below + (equal + 1) / 2.0;
        }
        return out;
    }

}
