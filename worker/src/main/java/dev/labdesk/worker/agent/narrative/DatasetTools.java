package dev.labdesk.worker.agent.narrative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionTool;
import dev.labdesk.worker.agent.analysis.ModelAnalysis;
import dev.labdesk.worker.agent.analysis.Report;
import dev.labdesk.worker.agent.analysis.TableProfile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The functions the model may call while it writes: {@code query(sql)} over the session's tables
 * ({@link QueryTool}), {@code chart(...)} drawn from a query ({@link ChartTool}), and
 * {@code describe_table(table)}, the offline profile of one table. A bad call (unknown table, malformed
 * arguments, a failing query) is answered with an {@code error} the model can read, never thrown.
 */
public final class DatasetTools {
    private static final Pattern HYPOTHESIS = Pattern.compile("(?im)^#{1,6}\\s*hypothesis\\b.*$");
    private static final int SHOWN_SQL = 160;

    private final List<SandboxedTables.Table> tables;
    private final Map<String, TableProfile> profiles = new LinkedHashMap<>();
    private final QueryTool query;
    private final ChartTool chart;
    private final ObjectMapper mapper;

    /** @param chart may be null: no chart function is offered */
    public DatasetTools(List<SandboxedTables.Table> tables, List<TableProfile> profiles, QueryTool query, ChartTool chart, ObjectMapper mapper) {
        this.tables = List.copyOf(tables);
        profiles.forEach(p -> this.profiles.put(p.path(), p));
        this.query = query;
        this.chart = chart;
        this.mapper = mapper;
    }

    /** The tables the model may query, by SQL name. */
    List<SandboxedTables.Table> tables() {
        return tables;
    }

    /** Profiles the model cannot query (too wide to type, or their copy failed). */
    List<TableProfile> unqueryable() {
        var queryable = tables.stream().map(SandboxedTables.Table::path).toList();
        return profiles.values().stream().filter(p -> !queryable.contains(p.path())).toList();
    }

    List<ChatCompletionTool> definitions() {
        var out = new ArrayList<ChatCompletionTool>();
        out.add(tool("query", "Run one read-only SQL query (DuckDB dialect: SELECT, WITH, DESCRIBE, SUMMARIZE, SHOW, EXPLAIN) over the tables. "
                        + "Answers with the columns, at most " + QueryTool.MAX_ROWS + " rows and the total row count, or with the error to correct.",
                Map.of("sql", Map.of("type", "string", "description", "one SQL statement")), List.of("sql")));
        if (chart != null) out.add(chart.definition());
        out.add(tool("describe_table", "The offline profile of one table: per column its kind, type, missing values, distinct count, min, max, mean, sd, "
                        + "quantiles, top values, histogram; the table's duplicate rows, correlations and alerts.",
                Map.of("table", Map.of("type", "string", "description", "the table's SQL name (or its file path)")), List.of("table")));
        return out;
    }

    /** How a call reads in the session log: {@code query(SELECT strain, avg(od600) …)}. */
    String describe(String name, String arguments) {
        var args = parse(arguments);
        var shown = switch (name) {
            case "query" -> args.map(a -> a.path("sql").asText("")).orElse("");
            case "chart" -> args.map(a -> a.path("kind").asText("") + ", " + a.path("title").asText("")).orElse("");
            case "describe_table" -> args.map(a -> a.path("table").asText("")).orElse("");
            default -> "";
        };
        shown = shown.replaceAll("\\s+", " ").strip();
        if (shown.length() > SHOWN_SQL) shown = shown.substring(0, SHOWN_SQL - 1) + "…";
        return name + "(" + shown + ")";
    }

    /** The JSON text sent back to the model as the tool's result. */
    String call(String name, String arguments) {
        var args = parse(arguments);
        if (args.isEmpty()) return error("the arguments are not a JSON object: " + arguments);
        try {
            return switch (name) {
                case "query" -> {
                    var sql = args.get().path("sql");
                    yield sql.isTextual() ? query.answer(sql.asText()) : error("query needs {\"sql\": \"…\"}");
                }
                case "chart" -> chart == null ? error("no such function: chart") : chart.draw(args.get());
                case "describe_table" -> describeTable(args.get().path("table").asText(""));
                default -> error("no such function: " + name);
            };
        } catch (IOException e) {
            return error("the call failed: " + e.getMessage());
        }
    }

    private String describeTable(String name) throws IOException {
        var table = tables.stream().filter(t -> t.name().equals(name) || t.path().equals(name)).findFirst();
        var profile = table.map(t -> profiles.get(t.path())).or(() -> Optional.ofNullable(profiles.get(name)));
        if (profile.isEmpty())
            return error("no table '" + name + "'; the tables are " + tables.stream().map(SandboxedTables.Table::name).toList());
        var p = profile.get();
        var out = new LinkedHashMap<String, Object>();
        table.ifPresent(t -> out.put("table", t.name()));
        out.put("path", p.path());
        out.put("rows", p.rows());
        out.put("columns", p.columns());
        out.put("duplicate_rows", p.duplicateRows());
        out.put("correlations", p.correlations());
        out.put("alerts", p.alerts());
        out.put("notes", p.notes());
        return mapper.writeValueAsString(out);
    }

    /**
     * The model's final text as the report keeps it: the summary, its hypothesis section (from a
     * {@code ## Hypothesis} heading on), the queries it ran, and the numbers no query or offline data holds.
     */
    ModelAnalysis analysis(String model, String text, Report report) {
        var m = HYPOTHESIS.matcher(text);
        String summary = text.strip(), hypothesis = null;
        if (m.find()) {
            summary = text.substring(0, m.start()).strip();
            hypothesis = text.substring(m.end()).strip();
            if (hypothesis.isEmpty()) hypothesis = null;
        }
        var shown = new ArrayList<>(query.seen());
        JsonNode offline = mapper.valueToTree(report);
        var unverified = NumberCheck.of(shown, offline).unverified(text);
        return new ModelAnalysis(model, summary, hypothesis, query.queries(), chart == null ? List.of() : chart.charts(), unverified);
    }

    /** The error a tool answered with, on one line and short, if it did. */
    Optional<String> errorIn(String answer) {
        try {
            var error = mapper.readTree(answer).path("error");
            if (!error.isTextual()) return Optional.empty();
            var line = error.asText().replaceAll("\\s+", " ").strip();
            return Optional.of(line.length() > 200 ? line.substring(0, 199) + "…" : line);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The offline analysis of the hypothesis as JSON text, when the report has one (a {@code hypothesis} field that is not null). */
    Optional<String> offlineHypothesis(Report report) {
        var node = mapper.<JsonNode>valueToTree(report).path("hypothesis");
        return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node.toString());
    }

    private String error(String message) {
        return mapper.createObjectNode().put("error", message).toString();
    }

    private Optional<JsonNode> parse(String arguments) {
        try {
            var node = mapper.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static ChatCompletionTool tool(String name, String description, Map<String, Object> properties, List<String> required) {
        var parameters = FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(properties))
                .putAdditionalProperty("required", JsonValue.from(required))
                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                .build();
        return ChatCompletionTool.ofFunction(ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name(name).description(description).parameters(parameters).build())
                .build());
    }
}
