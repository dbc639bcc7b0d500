package dev.labdesk.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import com.openai.client.OpenAIClient;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.analysis.ReportWriter;
import dev.labdesk.worker.agent.narrative.Narrator;
import dev.labdesk.worker.llm.LlmClients;

import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The dataset-analysis agent ({@code run_agent_remotely}): a process of its own, started by
 * {@link ProcessAgentLauncher} here or inside a Modal Sandbox, that speaks to the worker only
 * through {@code POST /log}. With {@code OPENAI_API_KEY} in its environment (and {@code OPENAI_BASE_URL},
 * {@code OPENAI_MODEL}, as the worker passes them) a model writes the report's summary. Exit codes: 0 done, 1 the analysis failed, 2 bad start, 4 the report
 * was written but its log could not be delivered. Its stderr carries one line for the launcher when
 * something went wrong.
 */
public final class AgentMain {
    static final int OK = 0, FAILED = 1, USAGE = 2, UNDELIVERED = 4;
    private static final String LOGGER = "labdesk.agent";
    /** The whole narrative loop; each model answer may take up to {@link #MODEL_READ}. */
    private static final Duration NARRATIVE_BUDGET = Duration.ofMinutes(2);
    private static final Duration MODEL_READ = Duration.ofSeconds(60);

    private AgentMain() {}

    public static void main(String[] args) {
        // exit explicitly: DuckDB's and the HTTP client's threads must not keep a finished agent alive
        System.exit(run(args));
    }

    static int run(String[] args) {
        var mapper = Json.newMapper();
        AgentArgs a;
        try {
            a = AgentArgs.parse(args, System.getenv(), mapper);
        } catch (AgentArgs.UsageException e) {
            System.err.println("labdesk-agent: " + e.getMessage());
            return USAGE;
        }
        var env = System.getenv();
        var key = Optional.ofNullable(env.get("OPENAI_API_KEY")).map(String::strip).filter(k -> !k.isEmpty());
        if (key.isEmpty()) return analyse(a, mapper, Optional.empty());
        // the worker validated these at its start; a bad base URL here is a bad start
        Optional<URI> baseUrl;
        try {
            baseUrl = Optional.ofNullable(env.get("OPENAI_BASE_URL")).filter(u -> !u.isBlank()).map(URI::create);
        } catch (IllegalArgumentException e) {
            System.err.println("labdesk-agent: OPENAI_BASE_URL is not a URL");
            return USAGE;
        }
        OpenAIClient client = LlmClients.create(key.get(), baseUrl, MODEL_READ);
        try {
            return analyse(a, mapper, Optional.of(new Narrator(client, model(env), NARRATIVE_BUDGET)));
        } finally {
            client.close(); // its OkHttp threads
        }
    }

    private static String model(Map<String, String> env) {
        var m = env.get("OPENAI_MODEL");
        return m == null || m.isBlank() ? WorkerConfig.DEFAULT_MODEL : m.strip();
    }

    private static int analyse(AgentArgs a, ObjectMapper mapper, Optional<Narrator> narrator) {
        var clock = Clock.systemUTC();
        var sink = new LogSink(a.logUrl(), a.token(), mapper, clock, Duration.ofMinutes(2));
        var finished = new AtomicBoolean();
        var hook = Thread.ofPlatform().unstarted(() -> {
            if (finished.get()) return;
            // SIGTERM (cancel, time-out): say so and push out what is queued in the second we have
            sink.log("WARN", LOGGER, "Agent stopped before it finished");
            sink.close(Duration.ofSeconds(1));
        });
        Runtime.getRuntime().addShutdownHook(hook);
        long start = System.nanoTime();
        int code;
        try {
            var name = a.context() == null ? "" : " for \"" + a.context().name() + "\"";
            var mode = narrator.map(n -> "llm mode, model " + n.model()).orElse("offline mode");
            sink.log("INFO", LOGGER, "Agent started" + name + ": analysing volume " + a.volume().getFileName() + " (" + mode + ", DuckDB)");
            var scratch = Files.createTempDirectory("labdesk-agent-"); // DuckDB's spill files, aliases of odd names
            try {
                var report = new DatasetAnalysis(sink, new ReportWriter(mapper), clock, narrator, mapper, a.guard()).run(a.sessionId(), a.volume(), a.context(), scratch);
                sink.result(report.summary());
                sink.log("INFO", LOGGER, String.format(Locale.ROOT, "Done in %.1f s: %s",
                        (System.nanoTime() - start) / 1e9, report.headline()));
                code = OK;
            } finally {
                Scratch.deleteQuietly(scratch);
            }
        } catch (Exception e) {
            var why = e.getMessage() == null ? e.toString() : e.getMessage();
            sink.log("ERROR", LOGGER, "Analysis failed: " + why);
            sink.error("analysis_failed", why);
            System.err.println("labdesk-agent: analysis failed: " + why);
            code = FAILED;
        }
        sink.close(Duration.ofSeconds(30));
        finished.set(true);
        var failure = sink.failure();
        if (failure.isPresent() && code == OK) {
            System.err.println("labdesk-agent: the report was written but the log was not fully delivered: " + failure.get());
            code = UNDELIVERED;
        }
        return code;
    }
}
