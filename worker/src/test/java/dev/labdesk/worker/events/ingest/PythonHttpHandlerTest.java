package dev.labdesk.worker.events.ingest;

import dev.labdesk.model.SessionEvent;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.RegisteredRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The "one line of configuration" claim, with CPython's own {@code logging.handlers.HTTPHandler}
 * (standard library, nothing installed): an existing Python agent logs to the worker unchanged.
 */
class PythonHttpHandlerTest {
    private static final String SCRIPT = """
            import logging, logging.handlers, sys
            host, token = sys.argv[1], sys.argv[2]

            log = logging.getLogger("lab.agent")
            log.setLevel(logging.INFO)
            log.propagate = False
            # the one line: POST with the run token as HTTP Basic credentials
            log.addHandler(logging.handlers.HTTPHandler(host, "/log", method="POST", credentials=("agent", token)))
            log.info("plate %s read: %d wells, OD %.2f", "A", 96, 0.1234)
            log.warning("temperature drifted to %(t).1f °C", {"t": 37.25})
            log.error("détecteur hors ligne")

            legacy = logging.getLogger("lab.legacy")
            legacy.propagate = False
            # HTTPHandler's defaults (GET), token in the URL
            legacy.addHandler(logging.handlers.HTTPHandler(host, "/log?token=" + token))
            legacy.warning("sent with GET")

            try:
                1 / 0
            except ZeroDivisionError:
                log.exception("plate %s failed", "B")
            try:
                {}["od600"]
            except KeyError:
                log.error("no column", exc_info=True, stack_info=True)

            # a handler before HTTPHandler that formats the record leaves the whole traceback in exc_text
            formatted = logging.getLogger("lab.formatted")
            formatted.propagate = False
            import io
            formatted.addHandler(logging.StreamHandler(io.StringIO()))
            formatted.addHandler(logging.handlers.HTTPHandler(host, "/log", method="POST", credentials=("agent", token)))
            def load_plate():
                raise ValueError("plate C is empty")
            try:
                load_plate()
            except ValueError:
                formatted.exception("loading failed")
            """;

    @TempDir Path dataDir;
    @TempDir Path scratch;
    private Worker worker;

    @BeforeEach
    void start() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir)).start();
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void cpythonsHttpHandlerLogsToTheWorker() throws Exception {
        assumeTrue(onPath("python3"), "python3 is not on PATH: the CPython HTTPHandler check is skipped");
        var run = RegisteredRun.in(worker);
        var script = Files.writeString(scratch.resolve("agent.py"), SCRIPT, StandardCharsets.UTF_8);
        var python = new ProcessBuilder("python3", script.toString(), "127.0.0.1:" + worker.port(), run.token())
                .redirectErrorStream(true).start();
        python.getOutputStream().close();
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        var output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // HTTPHandler swallows failures and prints them via handleError: any output means a failed post
        assertThat(output).isEmpty();
        assertThat(python.exitValue()).isZero();

        var logs = run.events(SessionEvent.Log.class);
        assertThat(logs).extracting(SessionEvent.Log::message).startsWith(
                "plate A read: 96 wells, OD 0.12", "temperature drifted to 37.2 °C", "détecteur hors ligne", "sent with GET");
        assertThat(logs).extracting(SessionEvent.Log::level).containsExactly("INFO", "WARNING", "ERROR", "WARNING", "ERROR", "ERROR", "ERROR");
        assertThat(logs).extracting(SessionEvent.Log::logger).containsExactly("lab.agent", "lab.agent", "lab.agent", "lab.legacy",
                "lab.agent", "lab.agent", "lab.formatted");
        assertThat(logs.get(4).message()).as("log.exception through HTTPHandler alone: the exception survives")
                .isEqualTo("plate B failed\nZeroDivisionError: division by zero");
        assertThat(logs.get(5).message()).startsWith("no column\nKeyError: 'od600'\nStack (most recent call last):")
                .contains("agent.py");
        assertThat(logs.get(6).message()).as("a formatted record keeps the whole traceback")
                .startsWith("loading failed\nTraceback (most recent call last):")
                .contains("in load_plate").endsWith("ValueError: plate C is empty");
        assertThat(logs).allSatisfy(l -> assertThat(l.sessionId()).isEqualTo(run.sessionId()));
    }

    private static boolean onPath(String program) {
        var path = System.getenv("PATH");
        if (path == null) return false;
        for (var dir : path.split(java.io.File.pathSeparator))
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        return false;
    }
}
