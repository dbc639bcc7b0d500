package dev.labdesk.worker.agent.analysis.experiment;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A 96-well OD600 time course as a plate reader exports it (a header block, then {@code Time} as h:mm:ss, the
 * chamber temperature, and one column per well A1…H12), and its {@code layout.csv} (well → strain). Logistic growth
 * per well with seeded noise; wells not in the layout read as an empty plate does. Readings are kept as written
 * (three decimals) so a test can compute any number from them by hand.
 */
public record PlateFixture(List<Double> hours, Map<String, double[]> readings, Map<String, String> strainOf) {
    static final List<String> WELLS = wells();

    /** wt in A1–A6 (rate 0.9/h, capacity 1.1), dlacZ in B1–B6 (0.6/h, 0.9), medium blanks in H1–H3. */
    public static PlateFixture growthCurves(long seed) {
        var random = new Random(seed);
        var hours = new ArrayList<Double>();
        for (int i = 0; i <= 48; i++) hours.add(i * 0.25);
        var strain = new LinkedHashMap<String, String>();
        for (int c = 1; c <= 6; c++) strain.put("A" + c, "wt");
        for (int c = 1; c <= 6; c++) strain.put("B" + c, "dlacZ");
        for (int c = 1; c <= 3; c++) strain.put("H" + c, "medium");
        var readings = new LinkedHashMap<String, double[]>();
        for (var well : WELLS) {
            var s = strain.getOrDefault(well, "");
            double rate = switch (s) {
                case "wt" -> 0.9;
                case "dlacZ" -> 0.6;
                default -> 0;
            } * (1 + 0.05 * random.nextGaussian());
            double capacity = (s.equals("wt") ? 1.1 : 0.9) * (1 + 0.03 * random.nextGaussian());
            var od = new double[hours.size()];
            for (int i = 0; i < od.length; i++) {
                double t = hours.get(i);
                double cells = rate == 0 ? 0 : capacity / (1 + (capacity / 0.01 - 1) * Math.exp(-rate * t));
                od[i] = Math.round((0.045 + cells + 0.002 * random.nextGaussian()) * 1000) / 1000.0;
            }
            readings.put(well, od);
        }
        return new PlateFixture(hours, readings, strain);
    }

    private static List<String> wells() {
        var out = new ArrayList<String>();
        for (char r = 'A'; r <= 'H'; r++) for (int c = 1; c <= 12; c++) out.add(r + String.valueOf(c));
        return List.copyOf(out);
    }

    private static final List<String> HEADER_BLOCK = List.of("Software Version,3.11.19", "Experiment File Path:,C:\\Users\\lab\\growth-2026-12-01.xpt",
            "Plate Number,Plate 1", "Reader Type:,Synergy H1", "Read,OD600", "", "OD:600");

    static String time(double hours) {
        int minutes = (int) Math.round(hours * 60);
        return String.format(Locale.ROOT, "%d:%02d:00", minutes / 60, minutes % 60);
    }

    /** The export as a plate reader writes it to CSV. */
    public void writeCsv(Path file) throws IOException {
        var out = new StringBuilder();
        HEADER_BLOCK.forEach(l -> out.append(l).append('\n'));
        out.append("Time,T° OD:600,").append(String.join(",", WELLS)).append('\n');
        for (int i = 0; i < hours.size(); i++) {
            out.append(time(hours.get(i))).append(",30.0");
            for (var w : WELLS) out.append(',').append(readings.get(w)[i]);
            out.append('\n');
        }
        Files.writeString(file, out.toString());
    }

    /** The same export as an .xlsx workbook: one sheet, header block above the table, times as time-formatted numbers. */
    public void writeXlsx(Path file) throws IOException {
        try (var wb = new XSSFWorkbook(); var out = Files.newOutputStream(file)) {
            var sheet = wb.createSheet("Plate 1 - OD600");
            int r = 0;
            for (var l : HEADER_BLOCK) {
                var row = sheet.createRow(r++);
                var parts = l.split(",", -1);
                for (int c = 0; c < parts.length; c++) if (!parts[c].isEmpty()) row.createCell(c).setCellValue(parts[c]);
            }
            var header = sheet.createRow(r++);
            header.createCell(0).setCellValue("Time");
            header.createCell(1).setCellValue("T° OD:600");
            for (int c = 0; c < WELLS.size(); c++) header.createCell(c + 2).setCellValue(WELLS.get(c));
            var clock = wb.createCellStyle(); // the reader's Excel export: times are day fractions shown as [h]:mm:ss
            clock.setDataFormat(wb.createDataFormat().getFormat("[h]:mm:ss"));
            for (int i = 0; i < hours.size(); i++) {
                var row = sheet.createRow(r++);
                var t = row.createCell(0);
                t.setCellValue(hours.get(i) / 24);
                t.setCellStyle(clock);
                row.createCell(1).setCellValue(30.0);
                for (int c = 0; c < WELLS.size(); c++) row.createCell(c + 2).setCellValue(readings.get(WELLS.get(c))[i]);
            }
            wb.write(out);
        }
    }

    public void writeLayout(Path file) throws IOException {
        var out = new StringBuilder("well,strain\n");
        strainOf.forEach((w, s) -> out.append(w).append(',').append(s).append('\n'));
        Files.writeString(file, out.toString());
    }

    /** A well's area under its curve by the trapezoid rule, in OD·h, computed here from the written readings. */
    public double area(String well) {
        var od = readings.get(well);
        double a = 0;
        for (int i = 1; i < od.length; i++) a += (hours.get(i) - hours.get(i - 1)) * (od[i] + od[i - 1]) / 2;
        return a;
    }

    public List<String> wellsOf(String strain) {
        return strainOf.entrySet().stream().filter(e -> e.getValue().equals(strain)).map(Map.Entry::getKey).toList();
    }
}
