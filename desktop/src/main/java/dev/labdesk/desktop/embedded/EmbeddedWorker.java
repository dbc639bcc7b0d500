package dev.labdesk.desktop.embedded;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.io.File;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.auth.ApiKey;
import dev.labdesk.worker.auth.AuthSettings;
import dev.labdesk.worker.auth.DataDirSecrets;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The worker started inside the app when no worker URL is configured: 127.0.0.1 on a free port,
 * data under {@code {appData}/worker}. Model settings come from the environment as for a
 * standalone worker ({@code OPENAI_API_KEY} and friends), so the offline mode is the default.
 * It accepts only a key made fresh at each launch and held in this object alone (never written to
 * disk): another local user or a web page cannot call it, and a key seen once is worth nothing
 * after the app quits.
 */
public final class EmbeddedWorker implements AutoCloseable {
    public static final String PRINCIPAL = "local";

    private final Worker worker;
    private final String key;

    private EmbeddedWorker(Worker worker, String key) {
        this.worker = worker;
        this.key = key;
    }

    public static EmbeddedWorker start(Path appData) throws IOException {
        absoluteClassPath();
        var dataDir = Files.createDirectories(appData.resolve("worker"));
        var env = System.getenv();
        var config = WorkerConfig.local(dataDir);
        var key = env.get("OPENAI_API_KEY");
        if (key != null && !key.isBlank()) {
            var base = env.get("OPENAI_BASE_URL");
            config = config.withOpenAi(key.strip(), base == null || base.isBlank() ? null : URI.create(base.strip()), env.get("OPENAI_MODEL"));
        }
        // a script driving the app (the installer check) may choose the key; the environment is the user's own
        var chosen = env.get("LABDESK_EMBEDDED_KEY");
        var launchKey = chosen != null && chosen.strip().length() >= 16 ? chosen.strip() : DataDirSecrets.newKey();
        config = config.withAuth(AuthSettings.keys(List.of(ApiKey.plain(PRINCIPAL, launchKey, true))));
        return new EmbeddedWorker(new Worker(config).start(), launchKey);
    }

    /**
     * The worker starts each agent as a child JVM in its own working directory with this JVM's
     * class path; a relative entry ({@code java -jar desktop/target/labdesk-desktop.jar}) would not
     * resolve there, so the entries are made absolute first.
     */
    private static void absoluteClassPath() {
        var entries = System.getProperty("java.class.path", "").split(File.pathSeparator);
        var absolute = Arrays.stream(entries).filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
        System.setProperty("java.class.path", absolute);
    }

    public URI baseUrl() {
        return worker.baseUrl();
    }

    /** The launch key: what the app's client sends as {@code Authorization: Bearer}. */
    public String key() {
        return key;
    }

    public Path dataDir() {
        return worker.config().dataDir();
    }

    @Override
    public void close() {
        worker.close();
    }
}
