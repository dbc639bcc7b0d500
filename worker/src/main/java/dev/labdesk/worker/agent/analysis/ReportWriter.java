package dev.labdesk.worker.agent.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes {@code results/report.json} and {@code results/report.md} into the volume, each through
 * a temporary file moved into place, so a reader never sees half a report.
 */
public final class ReportWriter {
    private final ObjectMapper mapper;

    public ReportWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void write(Path volume, Report report) throws IOException {
        var json = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
        atomically(volume.resolve(Inventory.REPORT_JSON), json);
        atomically(volume.resolve(Inventory.REPORT_MD), MarkdownReport.render(report).getBytes(StandardCharsets.UTF_8));
    }

    private static void atomically(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        var tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
