package dev.labdesk.desktop.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Settings as {@code settings.json} in the app-data folder. Written to a temporary file and moved
 * into place, so a crash never leaves half a file. It holds the worker's API key and the Modal
 * secret, so where the file system has POSIX permissions the folder is the owner's only (0700) and
 * the file is created owner-only (0600) before a byte is written into it.
 */
public final class SettingsStore {
    private final Path file;
    private final ObjectMapper mapper = Json.newMapper();

    public SettingsStore(Path appData) {
        this.file = appData.resolve("settings.json");
    }

    public Path file() {
        return file;
    }

    /** The saved settings, or the defaults when there are none or the file is unreadable. */
    public Settings load() {
        if (!Files.isRegularFile(file)) return Settings.DEFAULTS;
        try {
            var s = mapper.readValue(file.toFile(), Settings.class);
            return s == null ? Settings.DEFAULTS : s;
        } catch (IOException e) {
            return Settings.DEFAULTS;
        }
    }

    public void save(Settings settings) throws IOException {
        var dir = Files.createDirectories(file.getParent());
        var tmp = file.resolveSibling("settings.json.tmp");
        Files.deleteIfExists(tmp);
        if (posix(dir)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        // Windows: the folder under %APPDATA% is already the user's own
        Files.write(tmp, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(settings),
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
