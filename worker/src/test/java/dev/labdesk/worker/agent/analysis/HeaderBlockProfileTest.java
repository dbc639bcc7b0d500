package dev.labdesk.worker.agent.analysis;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Instrument exports that start with a metadata block (a Gen5-like plate-reader CSV, a SoftMax-like workbook): the table is
 * profiled from its real header row, and the metadata lines are its preamble, never rows.
 */
class HeaderBlockProfileTest extends ProfilerFixture {
    @Test
    void aPlateReaderCsvIsProfiledFromItsHeaderRowAndItsMetadataIsItsPreamble() throws Exception {
        var csv = new StringBuilder("""
                Software Version,3.08.01,,,,,,,,,,,
                Experiment File Path:,"C:\\Users\\lab\\growth, day 2.xpt",,,,,,,,,,,
                Protocol File Path:,,,,,,,,,,,,
                Plate Number,Plate 1,,,,,,,,,,,
                Date,4/5/2023,,,,,,,,,,,
                Time,10:30:00 AM,,,,,,,,,,,
                ,,,,,,,,,,,,
                Procedure Details,,,,,,,,,,,,
                Read,Absorbance Endpoint,,,,,,,,,,,
                ,Wavelengths:  600,,,,,,,,,,,
                ,,,,,,,,,,,,
                ,1,2,3,4,5,6,7,8,9,10,11,12
                """);
        for (int r = 0; r < 8; r++) {
            csv.append((char) ('A' + r));
            for (int c = 1; c <= 12; c++) csv.append(',').append(r == 7 && c == 12 ? "OVRFLW" : String.format(Locale.ROOT, "%.3f", 0.05 + r * 0.1 + c * 0.001));
            csv.append('\n');
        }
        var t = table("plate.csv", csv.toString());

        assertThat(t.rows()).isEqualTo(8);
        assertThat(t.columns()).hasSize(13);
        assertThat(t.columns().get(1).name()).isEqualTo("1");
        assertThat(col(t, "1").type()).isEqualTo("DOUBLE");
        assertThat(col(t, "1").mean()).isCloseTo(0.051 + 0.35, within(1e-9));
        assertThat(col(t, "12").invalid()).isEqualTo(1);
        assertThat(col(t, "12").invalidExamples()).containsExactly("OVRFLW");
        assertThat(t.columns().getFirst().topValues()).extracting(TableProfile.Value::value).contains("A", "H");
        assertThat(t.columns()).noneSatisfy(c -> assertThat(c.name()).contains("Software"));
        assertThat(t.preamble()).containsExactly(
                new TableProfile.MetadataLine(1, "Software Version", "3.08.01"),
                new TableProfile.MetadataLine(2, "Experiment File Path", "C:\\Users\\lab\\growth, day 2.xpt"),
                new TableProfile.MetadataLine(3, "Protocol File Path", ""),
                new TableProfile.MetadataLine(4, "Plate Number", "Plate 1"),
                new TableProfile.MetadataLine(5, "Date", "4/5/2023"),
                new TableProfile.MetadataLine(6, "Time", "10:30:00 AM"),
                new TableProfile.MetadataLine(8, "Procedure Details", ""),
                new TableProfile.MetadataLine(9, "Read", "Absorbance Endpoint"),
                new TableProfile.MetadataLine(10, "Wavelengths:  600", ""));
        assertThat(t.notes()).anySatisfy(n -> assertThat(n).contains("header is line 12").contains("9 metadata lines"));
        assertThat(t.notes()).noneSatisfy(n -> assertThat(n).contains("malformed"));

        var md = new StringBuilder();
        TableMarkdown.render(md, t, List.of());
        assertThat(md.toString()).contains("**Preamble**").contains("| 1 | Software Version | 3.08.01 |").contains("| 4 | Plate Number | Plate 1 |");
    }

    @Test
    void aWorkbookSheetWithAMetadataBlockIsProfiledFromItsHeaderRow() throws Exception {
        var file = volume.resolve("kinetic.xlsx");
        try (var wb = new XSSFWorkbook(); var out = Files.newOutputStream(file)) {
            var sheet = wb.createSheet("Plate1");
            sheet.createRow(0).createCell(0).setCellValue("##BLOCKS= 1");
            var plate = sheet.createRow(1);
            plate.createCell(0).setCellValue("Plate:");
            plate.createCell(1).setCellValue("Plate1");
            plate.createCell(2).setCellValue("Kinetic");
            var reader = sheet.createRow(2);
            reader.createCell(0).setCellValue("Reader");
            reader.createCell(1).setCellValue("SpectraMax M5");
            var header = sheet.createRow(4);
            var names = List.of("Time", "Temperature(°C)", "A1", "A2", "A3", "A4");
            for (int c = 0; c < names.size(); c++) header.createCell(c).setCellValue(names.get(c));
            for (int r = 0; r < 10; r++) {
                var row = sheet.createRow(5 + r);
                row.createCell(0).setCellValue(r * 30);
                row.createCell(1).setCellValue(37.0);
                for (int c = 2; c < names.size(); c++) row.createCell(c).setCellValue(0.1 + r * 0.01 + c);
            }
            wb.write(out);
        }
        var sheets = tables(profiler.profile("kinetic.xlsx", file, FileFormat.XLSX));
        var t = sheets.getFirst();
        assertThat(t.path()).isEqualTo("kinetic.xlsx#Plate1");
        assertThat(t.rows()).isEqualTo(10);
        assertThat(t.columns()).extracting(TableProfile.Column::name).containsExactly("Time", "Temperature(°C)", "A1", "A2", "A3", "A4");
        assertThat(col(t, "A1").type()).isEqualTo("DOUBLE");
        assertThat(col(t, "Time").max()).isEqualTo("270");
        assertThat(t.preamble()).containsExactly(
                new TableProfile.MetadataLine(1, "##BLOCKS= 1", ""),
                new TableProfile.MetadataLine(2, "Plate", "Plate1, Kinetic"),
                new TableProfile.MetadataLine(3, "Reader", "SpectraMax M5"));
    }

    @Test
    void anOrdinaryCsvHasNoPreambleEvenWhenItsHeaderEndsInAnEmptyName() throws Exception {
        var plain = table("plain.csv", "a,b\n1,2\n3,4\n");
        assertThat(plain.preamble()).isEmpty();
        assertThat(plain.rows()).isEqualTo(2);
        // the data rows are wider than the header and numbers: never taken for a header under a preamble
        var shortHeader = table("short.csv", "a,b,\n1,2,3\n4,5,6\n7,8,9\n");
        assertThat(shortHeader.preamble()).isEmpty();
        assertThat(shortHeader.rows()).isEqualTo(3);
        assertThat(shortHeader.columns().getFirst().name()).isEqualTo("a");
    }

    private TableProfile table(String name, String csv) throws Exception {
        var file = volume.resolve(name);
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return tables(profiler.profile(name, file, FileFormat.ofName(name))).getFirst();
    }

    private static List<TableProfile> tables(FileOutcome o) {
        assertThat(o).isInstanceOf(FileOutcome.Tables.class);
        return ((FileOutcome.Tables) o).tables();
    }

    private static TableProfile.Column col(TableProfile t, String name) {
        return t.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no column " + name));
    }
}
