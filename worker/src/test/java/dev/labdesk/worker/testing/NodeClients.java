package dev.labdesk.worker.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The Node clients nobody here wrote (src/test/node, {@code npm ci}): skipped without node, except under CI, where that fails. */
public final class NodeClients {
    public static final Path DIR = Path.of("src/test/node");

    private NodeClients() {}

    /** Skips the test (or fails it under CI) unless node runs and {@code module} is installed. */
    public static void require(String module) {
        String missing = null;
        try {
            var p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) missing = "node does not run";
        } catch (Exception e) {
            missing = "node is not installed";
        }
        if (missing == null && !Files.isDirectory(DIR.resolve("node_modules/" + module)))
            missing = module + " is not installed: run `npm ci` in worker/src/test/node";
        if (missing == null) return;
        if (System.getenv("CI") != null) throw new AssertionError("CI is set but " + missing);
        Assumptions.abort("skipped: " + missing);
    }
}
