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
