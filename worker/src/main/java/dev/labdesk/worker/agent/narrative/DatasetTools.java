package dev.labdesk.worker.agent.narrative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionTool;
import dev.labdesk.worker.agent.analysis.FileFormat;
import dev.labdesk.worker.agent.analysis.TableProfile;
import dev.labdesk.worker.agent.analysis.TableProfiler;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The functions the model may call while it writes the summary, answered from the same DuckDB
 * profiles the offline report holds: {@code list_tables}, {@code describe_table(path)} and
 * {@code sample_rows(path, n)}. A bad call (unknown table, malformed arguments) is answered with
 * an {@code error} the model can read, never thrown: the model may correct itself.
 */
public final class DatasetTools {
    static final int MAX_SAMPLE = 20;

    private final Path volume;
    private final Map<String, TableProfile> tables = new LinkedHashMap<>();
    private final TableProfiler profiler;
    private final ObjectMapper mapper;

    public DatasetTools(Path volume, List<TableProfile> profiles, TableProfiler profiler, ObjectMapper mapper) {
        this.volume = volume;
        profiles.forEach(p -> tables.put(p.path(), p));
        this.profiler = profiler;
        this.mapper = mapper;
    }

    List<ChatCompletionTool> definitions() {
        var path = Map.of("type", "string", "description", "the table's path in the dataset, as list_tables gives it");
        return List.of(
                tool("list_tables", "Every table of the dataset: path, format, rows, columns.", Map.of(), List.of()),
                tool("describe_table", "The column profile of one table: per column its kind, type, missing values, exact distinct count, min, max, mean, sd, quantiles, top values, histogram; the table's duplicate rows, correlations and alerts.",
                        Map.of("path", path), List.of("path")),
                tool("sample_rows", "The first rows of one table (at most " + MAX_SAMPLE + ").",
                        Map.of("path", path, "n", Map.of("type", "integer", "minimum", 1, "maximum", MAX_SAMPLE)), List.of("path", "n")));
    }

    /** How a call reads in the session log: {@code describe_table(exp/plates/day1.csv)}. */
    String describe(String name, String arguments) {
        var args = parse(arguments);
        var shown = new StringBuilder(name).append('(');
        if (args.isPresent()) {
            var path = args.get().path("path");
            if (path.isTextual()) shown.append(path.asText());
            var n = args.get().path("n");
            if (n.isNumber()) shown.append(shown.charAt(shown.length() - 1) == '(' ? "" : ", ").append(n.asInt());
        }
        return shown.append(')').toString();
    }

    /** The JSON text sent back to the model as the tool's result. */
    String call(String name, String arguments) {
        try {
            Object result = switch (name) {
                case "list_tables" -> tables.values().stream()
                        .map(t -> Map.of("path", t.path(), "format", t.format().label(), "rows", t.rows(), "columns", t.columns().size()))
                        .toList();
                case "describe_table" -> table(arguments).<Object>map(t -> Map.of("path", t.path(), "format", t.format().label(),
                        "rows", t.rows(), "columns", t.columns())).orElseGet(() -> unknown(arguments));
                case "sample_rows" -> {
                    var t = table(arguments);
                    if (t.isEmpty()) yield unknown(arguments);
                    if (t.get().format() == FileFormat.XLSX) yield Map.of("path", t.get().path(), "rows", t.get().sample()); // a sheet: its kept rows
                    int n = Math.clamp(parse(arguments).map(a -> a.path("n").asInt(5)).orElse(5), 1, MAX_SAMPLE);
                    yield Map.of("path", t.get().path(), "rows", profiler.sample(volume.resolve(t.get().path()), t.get().format(), n));
                }
                default -> Map.of("error", "no such function: " + name);
            };
            return mapper.writeValueAsString(result);
        } catch (SQLException | IOException e) {
            return "{\"error\":" + quoted("the table could not be read: " + e.getMessage()) + "}";
        }
    }

    private Optional<TableProfile> table(String arguments) {
        return parse(arguments).map(a -> a.path("path").asText(null)).map(tables::get);
    }

    private Map<String, Object> unknown(String arguments) {
        var path = parse(arguments).map(a -> a.path("path").asText("")).orElse("");
        return Map.of("error", "no table '" + path + "'; the tables are " + tables.keySet());
    }

    private Optional<JsonNode> parse(String arguments) {
        try {
            var node = mapper.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String quoted(String s) {
        try {
            return mapper.writeValueAsString(s);
        } catch (IOException e) {
            return "\"error\"";
        }
    }

    private static ChatCompletionTool tool(String name, String description, Map<String, Object> properties, List<String> required) {
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
