package dev.labdesk.worker.chat;

import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client nobody here wrote: Node's {@code ws} package (src/test/node, installed by {@code npm ci},
 * which .ci/run does). Without node it is skipped with a message, except under CI, where it fails.
 */
class NodeWsClientTest {
    private static final Path CLIENT_DIR = Path.of("src/test/node");
    @TempDir Path dataDir;

    @Test
    void nodesWsPackageHoldsAConversation() throws Exception {
        boolean ci = System.getenv("CI") != null;
        var missing = missingPrerequisite();
        if (missing != null) {
            if (ci) throw new AssertionError("CI is set but " + missing);
            Assumptions.abort("skipped: " + missing);
        }
        try (var worker = new Worker(WorkerConfig.local(dataDir)).start()) {
            var url = worker.baseUrl().toString().replaceFirst("^http", "ws") + "/chat/node-user";
            var process = new ProcessBuilder("node", "chat-client.js", url).directory(CLIENT_DIR.toFile())
                    .redirectErrorStream(true).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node client finished").isTrue();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.exitValue()).as(output).isZero();
            var result = ChatTestClient.JSON.readTree(output.lines().reduce((a, b) -> b).orElseThrow());
            assertThat(result.path("ok").asBoolean()).as(output).isTrue();
            assertThat(result.path("mode").asText()).isEqualTo("offline");
            assertThat(result.path("error_code").asText()).isEqualTo("unknown_type");
            assertThat(result.path("text").asText()).as("the name was volunteered, so the role comes next").contains("What's your role?");
            assertThat(result.path("profile_name").asText()).isEqualTo("Lise Meitner");
            assertThat(result.path("profile_source").asText()).isEqualTo("node-1");
            assertThat(worker.chat().service().store().history("node-user")).hasSize(2);
        }
    }

    private static String missingPrerequisite() {
        try {
            var p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return "node does not run";
        } catch (Exception e) {
            return "node is not installed";
        }
        if (!Files.isDirectory(CLIENT_DIR.resolve("node_modules/ws")))
            return "the ws package is not installed: run `npm ci` in worker/src/test/node";
        return null;
    }
}
