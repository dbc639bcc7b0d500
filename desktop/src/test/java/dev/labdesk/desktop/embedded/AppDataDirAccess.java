package dev.labdesk.desktop.embedded;

import java.nio.file.Path;
import java.util.Map;

/** Opens {@link AppDataDir}'s platform rule to tests in other packages. */
public final class AppDataDirAccess {
    private AppDataDirAccess() {}

    public static Path resolve(String os, String home, Map<String, String> env) {
        return AppDataDir.resolve(os, home, env);
    }
}
