package dev.labdesk.desktop.embedded;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The per-user application-data folder, where the platform expects it: {@code ~/.local/share/labdesk}
 * (or {@code $XDG_DATA_HOME/labdesk}) on Linux, {@code ~/Library/Application Support/Labdesk} on
 * macOS, {@code %APPDATA%\Labdesk} on Windows. {@code LABDESK_DESKTOP_HOME} overrides it (tests,
 * portable installs).
 */
public final class AppDataDir {
    private AppDataDir() {}

    public static Path resolve() {
        return resolve(System.getProperty("os.name", ""), System.getProperty("user.home"), System.getenv());
    }

    static Path resolve(String osName, String home, Map<String, String> env) {
        var override = env.get("LABDESK_DESKTOP_HOME");
        if (override != null && !override.isBlank()) return Path.of(override);
        var os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            var appData = env.get("APPDATA");
            return appData != null && !appData.isBlank() ? Path.of(appData, "Labdesk") : Path.of(home, "AppData", "Roaming", "Labdesk");
        }
        if (os.startsWith("mac")) return Path.of(home, "Library", "Application Support", "Labdesk");
        var xdg = env.get("XDG_DATA_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "labdesk") : Path.of(home, ".local", "share", "labdesk");
    }
}
