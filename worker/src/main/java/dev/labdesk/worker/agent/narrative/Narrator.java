package dev.labdesk.worker.agent.narrative;

import com.openai.models.chat.completions.ChatCompletion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.worker.agent.analysis.ModelAnalysis;
import dev.labdesk.worker.agent.analysis.Report;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.chat.agents.LlmFailures;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Writes the report's summary and hypothesis section with a model: a non-streamed tool-calling loop in
 * which the model plans, runs SQL over the session's tables ({@link DatasetTools}), may draw charts, and
 * then answers in prose whose numbers come from its query results. Bounded in rounds, in tool calls, in
 * tokens (per answer and in all) and in time; the last round allows no tools, so the model has to answer.
 */
public final class Narrator {
    static final int MAX_TOOL_ROUNDS = 10;
    /** Tool calls over the whole loop; calls beyond it are answered with an error and the next round must answer. */
    static final int MAX_TOOL_CALLS = 30;
    static final long MAX_ANSWER_TOKENS = 2_000;
    /** Tokens over the whole loop (prompt and answers, as the API counts them); once spent, the next round must answer. */
    static final long MAX_TOTAL_TOKENS = 200_000;
    /** The offline hypothesis result, as JSON, is cut to this many characters in the brief. */
    static final int OFFLINE_HYPOTHESIS_CHARS = 6_000;
    private static final int BRIEF_COLUMNS = 60;

    static final String SYSTEM_PROMPT = """
            You are a data analyst. A researcher uploaded the dataset described below for an experiment. Plan what
            you need to know, then find it out with the function query (read-only DuckDB SQL over the tables listed
            below; a failing query answers with its error: correct it and try again); describe_table gives a table's
            offline profile; chart draws a chart from a query and answers with a Markdown image line.
            Every number you write must be taken from a query result (or the profile); never invent or estimate one.
            Answer in Markdown: first a summary of a few short paragraphs (no headings, at most about 250 words),
            starting with one sentence that sums the dataset up: what the tables hold, their size and shape, data
            quality, and how well the data can answer the experiment's goals. Then, if the experiment states a
            hypothesis, a line "## Hypothesis" followed by your reading of it: which comparison tests it, what the
            numbers show (effect sizes, group means and counts, and a test you computed in SQL if one fits), and what
            the data cannot tell. Put each chart's Markdown image line, exactly as chart answered it, on its own line
            where it belongs.""";
    /** Why no summary was written: a readable reason, never a secret. */
    public static final class NarrativeException extends Exception {
        NarrativeException(String message) {
            super(message);
        }
    }

    private final OpenAIClient client;
    private final String model;
    private final Duration budget;

    public Narrator(OpenAIClient client, String model, Duration budget) {
        this.client = client;
        this.model = model;
        this.budget = budget;
    }

    public String model() {
        return model;
    }

    /** What the model wrote and how it came to it; {@code log} hears of every tool call. */
    public ModelAnalysis write(Report report, DatasetTools tools, Consumer<String> log) throws NarrativeException {
        long deadline = System.nanoTime() + budget.toNanos();
        var params = ChatCompletionCreateParams.builder()
                .model(model)
                .maxCompletionTokens(MAX_ANSWER_TOKENS)
                .addSystemMessage(SYSTEM_PROMPT)
                .addUserMessage(brief(report, tools))
                .tools(tools.definitions());
        int calls = 0;
        long tokens = 0;
        try {
            for (int round = 0; ; round++) {
                if (System.nanoTime() > deadline)
                    throw new NarrativeException("the model took longer than " + budget.toSeconds() + " s");
                boolean last = round == MAX_TOOL_ROUNDS || calls >= MAX_TOOL_CALLS || tokens >= MAX_TOTAL_TOKENS;
                if (last) params.toolChoice(ChatCompletionToolChoiceOption.Auto.NONE);
                var completion = call(params.build(), deadline);
                tokens += completion.usage().map(u -> u.totalTokens()).orElse(0L);
                var message = completion.choices().stream().findFirst()
                        .orElseThrow(() -> new NarrativeException("the model returned no choices")).message();
                var toolCalls = message.toolCalls().orElse(List.of());
                if (toolCalls.isEmpty() || last) {
                    var text = message.content().map(String::strip).orElse("");
                    if (text.isEmpty()) throw new NarrativeException("the model returned no text");
                    return tools.analysis(model, text, report);
                }
                params.addMessage(message);
                for (var call : toolCalls) {
                    if (!call.isFunction()) continue;
                    var fn = call.asFunction();
                    var name = fn.function().name();
                    var args = fn.function().arguments();
                    String answer;
                    if (++calls > MAX_TOOL_CALLS) {
                        answer = "{\"error\":\"no more function calls: " + MAX_TOOL_CALLS + " have been made; write your answer now\"}";
                    } else {
                        log.accept("Model asked for " + tools.describe(name, args));
                        answer = tools.call(name, args);
                        tools.errorIn(answer).ifPresent(e -> log.accept("  … answered with an error: " + e));
                    }
                    params.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(fn.id()).content(answer).build());
                }
            }
        } catch (OpenAIException e) {
            if (System.nanoTime() >= deadline) throw new NarrativeException("the model took longer than " + budget.toSeconds() + " s");
            throw new NarrativeException(LlmFailures.map(e, model).getMessage());
        }
    }

    /**
     * One completion, waited for no longer than the budget allows: a model that sends nothing for
     * minutes must not hold the report (openai-java's own timeouts are per connection phase). The
     * abandoned call ends with its read timeout; the agent does not wait for it.
     */
    private ChatCompletion call(ChatCompletionCreateParams params, long deadline)
            throws NarrativeException {
        var future = new CompletableFuture<ChatCompletion>();
        var thread = Thread.ofVirtual().name("narrative-call").start(() -> {
            try {
                future.complete(client.chat().completions().create(params));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        try {
            return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new NarrativeException("the model took longer than " + budget.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NarrativeException("interrupted while waiting for the model");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OpenAIException o) throw o;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The experiment as the researcher described it, the dataset in one line, the tables the model may query, the offline hypothesis result. */
    static String brief(Report report, DatasetTools tools) {
        var text = new StringBuilder();
        ExperimentContext c = report.experiment();
        if (c != null) {
            line(text, "Experiment", c.name());
            line(text, "Description", c.description());
            line(text, "Goals", c.goals());
            line(text, "Hypothesis", c.hypothesis());
        } else {
            text.append("No experiment context was given.\n");
        }
        text.append("Dataset: ").append(report.headline()).append('.');
        if (!report.unreadable().isEmpty())
            text.append(" Could not be read: ").append(String.join(", ", report.unreadable().stream().map(u -> u.path() + " (" + u.reason() + ")").toList())).append('.');
        text.append("\n\nTables you can query (SQL name, file, rows; columns with type, kind and missing values):\n");
        if (tools.tables().isEmpty()) text.append("none\n");
        for (var t : tools.tables()) {
            text.append("- ").append(t.name()).append(" (from ").append(t.path()).append(", ").append(t.rows()).append(" rows): ");
            var columns = IntStream.range(0, Math.min(BRIEF_COLUMNS, t.columns().size()))
                    .mapToObj(i -> column(t.sqlColumns().get(i), t.columns().get(i))).toList();
            text.append(String.join("; ", columns));
            if (t.columns().size() > BRIEF_COLUMNS) text.append("; … and ").append(t.columns().size() - BRIEF_COLUMNS).append(" more (describe_table)");
            text.append('\n');
        }
        for (var p : tools.unqueryable())
            text.append("- not queryable: ").append(p.path()).append(" (").append(p.rows()).append(" rows, ").append(p.columns().size())
                    .append(" columns; describe_table gives its profile)\n");
        tools.offlineHypothesis(report).ifPresent(h -> {
            var json = h.length() > OFFLINE_HYPOTHESIS_CHARS ? h.substring(0, OFFLINE_HYPOTHESIS_CHARS - 1) + "…" : h;
            text.append("\nThe offline analysis of the hypothesis (JSON):\n").append(json).append('\n');
        });
        return text.toString();
    }

    private static String column(String sqlName, TableProfile.Column c) {
        var s = new StringBuilder(sqlName).append(' ').append(c.type()).append(" (").append(c.kind());
        if (c.nulls() > 0) s.append(", ").append(c.nulls()).append(" missing");
        return s.append(')').toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        if (value != null && !value.isBlank()) text.append(label).append(": ").append(value.strip()).append('\n');
    }
}
