package dev.labdesk.desktop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real files for the tests: a small nested dataset of CSVs the agent can read. */
public final class TestData {
    private TestData() {}

    /** {@code plates/} with {@code day1/growth.csv}, {@code day1/raw/od600.csv}, {@code day2/growth.csv}, {@code notes.txt}. */
    public static Path nestedDataset(Path parent) throws IOException {
        var root = Files.createDirectories(parent.resolve("plates"));
        Files.createDirectories(root.resolve("day1/raw"));
        Files.createDirectories(root.resolve("day2"));
        Files.writeString(root.resolve("day1/growth.csv"), csv(40, 1.0));
        Files.writeString(root.resolve("day1/raw/od600.csv"), csv(25, 0.5));
        Files.writeString(root.resolve("day2/growth.csv"), csv(60, 1.4));
        Files.writeString(root.resolve("notes.txt"), "Plate reader, 37 °C, shaking at 200 rpm.\n");
        return root;
    }

    /** {@code growth.csv}: numbers, twelve strains, dates and some missing values, so the report draws every kind of figure. */
    public static Path growthWithFigures(Path parent) throws IOException {
        String[] strains = {"wt", "wt", "wt", "dlacZ", "dlacZ", "daraC", "dmalE", "dtrpA", "dhisG", "dleuB", "dproA", "dthrC", "dilvC", "dpheA"};
        var sb = new StringBuilder("strain,time_h,od600,temperature,date\n");
        for (int i = 0; i < 48; i++) {
            double t = i % 12;
            sb.append(strains[i % strains.length]).append(',').append((int) t).append(',')
                    .append(i % 9 == 4 ? "NA" : String.format(java.util.Locale.ROOT, "%.3f", 0.05 * Math.exp(0.25 * t) + (i % 5) * 0.01)).append(',')
                    .append(i % 11 == 3 ? "" : String.format(java.util.Locale.ROOT, "%.1f", 30 + t * 0.5 - (i % 3))).append(',')
                    .append(String.format(java.util.Locale.ROOT, "2000-04-%02d", 1 + i % 20)).append('\n');
        }
        return Files.writeString(parent.resolve("growth.csv"), sb.toString());
    }

    private static String csv(int rows, double factor) {
        var sb = new StringBuilder("well,hour,od600,strain\n");
        for (int i = 0; i < rows; i++) {
            sb.append("A").append(i % 12 + 1).append(',').append(i).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", 0.05 + factor * i / rows)).append(',')
                    .append(i % 2 == 0 ? "wt" : "dlacZ").append('\n');
        }
        return sb.toString();
    }
}
