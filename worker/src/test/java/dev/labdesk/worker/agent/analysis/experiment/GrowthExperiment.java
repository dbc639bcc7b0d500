package dev.labdesk.worker.agent.analysis.experiment;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What a researcher uploads after a three-strain growth experiment: the plate reader's export (a header block, then
 * {@code Time} as h:mm:ss, the chamber temperature and all 96 wells, 25 reads every 30 min), the plate's layout drawn
 * as a plate grid (a "Strain" block and a "Medium" block, each under its title line; blanks in H1–H4, the other wells
 * empty), and a growth table from flasks run beside it. Logistic growth per well with seeded noise: dlacZ grows slower
 * than wt, dptsG nearly as wt. Readings are kept as written (three decimals) so a test can recompute everything from them.
 */
record GrowthExperiment(List<Double> hours, Map<String, double[]> readings, Map<String, String> strainOf) {
    static final List<String> STRAINS = List.of("wt", "dlacZ", "dptsG");

    static GrowthExperiment seeded(long seed) {
        var random = new Random(seed);
        var hours = new ArrayList<Double>();
        for (int i = 0; i < 25; i++) hours.add(i * 0.5);
        var strain = new LinkedHashMap<String, String>();
        for (char row : new char[] {'A', 'B'})
            for (int c = 1; c <= 12; c++) strain.put(row + String.valueOf(c), STRAINS.get((c - 1) / 4));
        for (int c = 1; c <= 4; c++) strain.put("H" + c, "blank");
        var readings = new LinkedHashMap<String, double[]>();
        for (var well : PlateFixture.WELLS) {
            var s = strain.getOrDefault(well, "");
            double rate = switch (s) {
                case "wt" -> 0.9;
                case "dlacZ" -> 0.6;
                case "dptsG" -> 0.87;
                default -> 0;
            } * (1 + 0.05 * random.nextGaussian());
            double capacity = (s.equals("dlacZ") ? 0.9 : 1.1) * (1 + 0.03 * random.nextGaussian());
            var od = new double[hours.size()];
            for (int i = 0; i < od.length; i++) {
                double cells = rate == 0 ? 0 : capacity / (1 + (capacity / 0.01 - 1) * Math.exp(-rate * hours.get(i)));
                od[i] = Math.round((0.042 + cells + 0.002 * random.nextGaussian()) * 1000) / 1000.0;
            }
            readings.put(well, od);
        }
        return new GrowthExperiment(hours, readings, strain);
    }

    void writeExport(Path file) throws IOException {
        var out = new StringBuilder("Software Version,3.11.19\nPlate Number,Plate 1\nReader Type:,Synergy H1\nRead,OD600\n\nOD:600\n");
        out.append("Time,T° OD:600,").append(String.join(",", PlateFixture.WELLS)).append('\n');
        for (int i = 0; i < hours.size(); i++) {
            out.append(PlateFixture.time(hours.get(i))).append(",30.1");
            for (var w : PlateFixture.WELLS) out.append(',').append(readings.get(w)[i]);
            out.append('\n');
        }
        Files.writeString(file, out.toString());
    }

    /** The same reads long, as a reader's software or a script writes them: {@code well,time_h,od600}, one row per time and well. */
    void writeLongReadings(Path file) throws IOException {
        var out = new StringBuilder("well,time_h,od600\n");
        for (int i = 0; i < hours.size(); i++)
            for (var w : PlateFixture.WELLS)
                out.append(w).append(',').append(BigDecimal.valueOf(hours.get(i)).stripTrailingZeros().toPlainString()).append(',').append(readings.get(w)[i]).append('\n');
        Files.writeString(file, out.toString());
    }

    /** The strains as a long map, {@code well,strain}: one row per well that holds something. */
    void writeStrainMap(Path file) throws IOException {
        var out = new StringBuilder("well,strain\n");
        strainOf.forEach((w, s) -> out.append(w).append(',').append(s).append('\n'));
        Files.writeString(file, out.toString());
    }

    /** The layout as the plate: a title line, a header of column numbers, rows A–H; empty cells for empty wells. */
    List<List<String>> layoutGrid() {
        var lines = new ArrayList<List<String>>();
        for (var block : List.of("Strain", "Medium")) {
            lines.add(List.of(block));
            var header = new ArrayList<>(List.of(""));
            for (int c = 1; c <= 12; c++) header.add(String.valueOf(c));
            lines.add(header);
            for (char r = 'A'; r <= 'H'; r++) {
                var row = new ArrayList<>(List.of(String.valueOf(r)));
                for (int c = 1; c <= 12; c++) {
                    var s = strainOf.get(r + String.valueOf(c));
                    row.add(s == null ? "" : block.equals("Strain") ? s : "LB");
                }
                lines.add(row);
            }
            lines.add(List.of());
        }
        return lines;
    }

    void writeLayoutCsv(Path file) throws IOException {
        var out = new StringBuilder();
        for (var l : layoutGrid()) out.append(String.join(",", l)).append('\n');
        Files.writeString(file, out.toString());
    }

    void writeLayoutXlsx(Path file) throws IOException {
        try (var wb = new XSSFWorkbook(); var out = Files.newOutputStream(file)) {
            var sheet = wb.createSheet("Layout");
            int r = 0;
            for (var l : layoutGrid()) {
                var row = sheet.createRow(r++);
                for (int c = 0; c < l.size(); c++) {
                    if (l.get(c).isEmpty()) continue;
                    if (l.get(c).matches("\\d+")) row.createCell(c).setCellValue(Integer.parseInt(l.get(c))); // the column numbers as numbers, as Excel keeps them
                    else row.createCell(c).setCellValue(l.get(c));
                }
            }
            wb.write(out);
        }
    }

    /** Flasks beside the plate: wt and dlacZ, three flasks each, OD600 hourly for 8 h (long format). */
    void writeFlaskTable(Path file, long seed) throws IOException {
        var random = new Random(seed);
        var out = new StringBuilder("strain,flask,time_h,od600\n");
        int flask = 0;
        for (var s : List.of("wt", "dlacZ"))
            for (int f = 0; f < 3; f++) {
                flask++;
                double rate = (s.equals("wt") ? 0.9 : 0.6) * (1 + 0.05 * random.nextGaussian());
                for (int t = 0; t <= 8; t++)
                    out.append(s).append(",F").append(flask).append(',').append(t).append(',')
                            .append(String.format(Locale.ROOT, "%.3f", 2.5 / (1 + (2.5 / 0.05 - 1) * Math.exp(-rate * t)))).append('\n');
            }
        Files.writeString(file, out.toString());
    }

    /** A well's area under its curve by the trapezoid rule, in OD·h, from the written readings. */
    double area(String well) {
        var od = readings.get(well);
        double a = 0;
        for (int i = 1; i < od.length; i++) a += (hours.get(i) - hours.get(i - 1)) * (od[i] + od[i - 1]) / 2;
        return a;
    }

    double[] areas(String strain) {
        return strainOf.entrySet().stream().filter(e -> e.getValue().equals(strain)).mapToDouble(e -> area(e.getKey())).toArray();
    }
}
