package dev.labdesk.worker.events.stream;

import dev.labdesk.worker.events.FinishedSessions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labdesk.model.Json;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client nobody here wrote: the npm {@code eventsource} package (src/test/node, {@code npm ci}).
 * It must stop after the end by itself (the resume gets 204), and the agent's error must not reach
 * {@code onerror}. Without node it is skipped, except under CI, where it fails.
 */
class NodeEventSourceTest {
    private static final Path CLIENT_DIR = Path.of("src/test/node");
    @TempDir Path dataDir;

    @Test
    void stockEventSourceStopsAfterTheEndAndOnerrorIsNotTheAgentsError() throws Exception {
        requireNode();
        try (var worker = new Worker(WorkerConfig.local(dataDir)).start()) {
            var id = FinishedSessions.withAgentError(worker);
            var url = worker.baseUrl() + "/sessions/" + id + "/events";
            // both modes at once: 7 s covers three reconnects at the stream's 2 s retry, had it looped
            var untouched = run(url, "never-close");
            var closing = run(url, "close-on-error");
            var left = read(untouched);
            var closed = read(closing);

            assertThat(seen(left)).as("one connection, then the 204 on resume closes it for good")
                    .containsExactly("open", "log:1", "agent_error:2", "status:3", "end", "onerror(readyState=0)", "onerror(readyState=2)");
            assertThat(left.path("opens").asInt()).isEqualTo(1);
            assertThat(left.path("readyState").asInt()).as("CLOSED").isEqualTo(2);

            assertThat(seen(closed)).as("onerror = () => es.close() fires only when the connection ends, after everything")
                    .containsExactly("open", "log:1", "agent_error:2", "status:3", "end", "onerror(readyState=0)");
        }
    }

    private static Process run(String url, String mode) throws Exception {
        return new ProcessBuilder("node", "sse-client.js", url, mode, "7000").directory(CLIENT_DIR.toFile())
                .redirectErrorStream(true).start();
    }

    private static JsonNode read(Process process) throws Exception {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node client finished").isTrue();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(output).isZero();
        return Json.newMapper().readTree(output.lines().reduce((a, b) -> b).orElseThrow());
    }

    private static List<String> seen(JsonNode result) {
        var out = new ArrayList<String>();
        result.path("seen").forEach(n -> out.add(n.asText()));
        return out;
    }

    static void requireNode() {
        String missing = null;
        try {
            var p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) missing = "node does not run";
        } catch (Exception e) {
            missing = "node is not installed";
        }
        if (missing == null && !Files.isDirectory(CLIENT_DIR.resolve("node_modules/eventsource")))
            missing = "the eventsource package is not installed: run `npm ci` in worker/src/test/node";
        if (missing == null) return;
        if (System.getenv("CI") != null) throw new AssertionError("CI is set but " + missing);
        Assumptions.abort("skipped: " + missing);
    }
}
