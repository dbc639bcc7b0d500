package dev.labdesk.worker.agent.narrative;

import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.labdesk.model.ExperimentContext;
import dev.labdesk.worker.agent.analysis.Report;
import dev.labdesk.worker.chat.LlmFailures;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Writes the report's summary with a model: a short non-streamed tool-calling loop in which the
 * model looks at the dataset through {@link DatasetTools} and then answers in prose. Bounded in
 * rounds and in time; the last round allows no tools, so the model has to answer.
 */
public final class Narrator {
    static final int MAX_TOOL_ROUNDS = 6;

    static final String SYSTEM_PROMPT = """
            You are a data analyst. A researcher uploaded the dataset described below for an experiment; write a
            concise narrative summary of it for them: what the tables hold, their size and shape, data quality
            (missing values, odd ranges), and how well the data can answer the experiment's goals and hypothesis.
            Look at the data with the functions list_tables, describe_table and sample_rows before you write;
            never invent numbers. Answer with plain Markdown paragraphs (no headings), at most about 200 words,
            starting with one sentence that sums the dataset up.""";

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

    /** The summary's Markdown text; {@code log} hears of every tool call. */
    public String write(Report report, DatasetTools tools, Consumer<String> log) throws NarrativeException {
        long deadline = System.nanoTime() + budget.toNanos();
        var params = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(SYSTEM_PROMPT)
                .addUserMessage(brief(report))
                .tools(tools.definitions());
        try {
            for (int round = 0; ; round++) {
                if (System.nanoTime() > deadline)
                    throw new NarrativeException("the model took longer than " + budget.toSeconds() + " s");
                if (round == MAX_TOOL_ROUNDS) params.toolChoice(ChatCompletionToolChoiceOption.Auto.NONE);
                var completion = call(params.build(), deadline);
                var message = completion.choices().stream().findFirst()
                        .orElseThrow(() -> new NarrativeException("the model returned no choices")).message();
                var calls = message.toolCalls().orElse(java.util.List.of());
                if (calls.isEmpty() || round == MAX_TOOL_ROUNDS) {
                    var text = message.content().map(String::strip).orElse("");
                    if (text.isEmpty()) throw new NarrativeException("the model returned no text");
                    return text;
                }
                params.addMessage(message);
                for (var call : calls) {
                    if (!call.isFunction()) continue;
                    var fn = call.asFunction();
                    var name = fn.function().name();
                    var args = fn.function().arguments();
                    log.accept("Model asked for " + tools.describe(name, args));
                    params.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(fn.id()).content(tools.call(name, args)).build());
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
    private com.openai.models.chat.completions.ChatCompletion call(ChatCompletionCreateParams params, long deadline)
            throws NarrativeException {
        var future = new java.util.concurrent.CompletableFuture<com.openai.models.chat.completions.ChatCompletion>();
        var thread = Thread.ofVirtual().name("narrative-call").start(() -> {
            try {
                future.complete(client.chat().completions().create(params));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        try {
            return future.get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            thread.interrupt();
            throw new NarrativeException("the model took longer than " + budget.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NarrativeException("interrupted while waiting for the model");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof OpenAIException o) throw o;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The experiment as the researcher described it, and the dataset in one line. */
    private static String brief(Report report) {
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
        return text.toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        if (value != null && !value.isBlank()) text.append(label).append(": ").append(value.strip()).append('\n');
    }
}
