package dev.labdesk.worker.agent.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Every regular file of a volume, by relative path ({@code /}-separated), except the agent's own report. */
public record Inventory(List<Entry> files) {
    /** The report's files, relative to the volume; a rerun must not profile its predecessor's output. */
    public static final String REPORT_MD = "results/report.md";
    public static final String REPORT_JSON = "results/report.json";
    /** The report's charts (see {@code figures.FigureFiles}): not part of the dataset either. */
    public static final String FIGURES = "results/figures/";
    private static final Set<String> OWN = Set.of(REPORT_MD, REPORT_JSON);

    public record Entry(String path, long size, FileFormat format) {}

    public Inventory {
        files = List.copyOf(files);
    }

    public static Inventory of(Path volume) throws IOException {
        try (Stream<Path> walk = Files.walk(volume)) {
            var entries = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> new Entry(relative(volume, p), size(p), FileFormat.ofName(p.getFileName().toString())))
                    .filter(e -> !OWN.contains(e.path()) && !e.path().startsWith("results/.report") && !e.path().startsWith(FIGURES))
                    .sorted(Comparator.comparing(Entry::path))
                    .toList();
            return new Inventory(entries);
        }
    }

    public long bytes() {
        return files.stream().mapToLong(Entry::size).sum();
    }

    public List<Entry> tables() {
        return files.stream().filter(e -> e.format().tabular()).toList();
    }

    private static String relative(Path root, Path file) {
        var rel = root.relativize(file);
        var out = new StringBuilder();
        for (var part : rel) {
            if (!out.isEmpty()) out.append('/');
            out.append(part);
        }
        return out.toString();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
