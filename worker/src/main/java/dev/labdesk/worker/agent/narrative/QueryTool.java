package dev.labdesk.worker.agent.narrative;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.labdesk.worker.agent.analysis.ModelAnalysis;
import dev.labdesk.worker.agent.analysis.Reasons;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runs the model's SQL on its {@link SandboxedTables} database, one read-only statement at a time:
 * DuckDB's own parser decides what a statement is (only a single SELECT, WITH, FROM, VALUES, DESCRIBE,
 * SUMMARIZE or SHOW, or EXPLAIN of one, runs); each query is cut after the timeout; the model sees at
 * most {@link #MAX_ROWS} rows and {@link #MAX_CHARS} characters, and is told when there was more.
 * A refused or failing query is answered with its error, so the model can correct it. Every query is logged
 * for the report, and every value shown is kept for the check of the model's numbers.
 */
public final class QueryTool implements AutoCloseable {
    static final int MAX_ROWS = 200, MAX_CHARS = 32_000, MAX_CELL = 300;
    static final String ALLOWED = "only one read-only query (SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE, SHOW, or EXPLAIN of one) may run here";
    private static final Pattern EXPLAIN = Pattern.compile("(?is)\\s*EXPLAIN(\\s+ANALYZE)?\\s+(.*)");

    private final Connection db;
    private final Duration timeout;
    private final ObjectMapper mapper;
    private final List<ModelAnalysis.Query> log = new ArrayList<>();
    private final List<Object> seen = new ArrayList<>();

    QueryTool(Connection db, Duration timeout, ObjectMapper mapper) {
        this.db = db;
        this.timeout = timeout;
        this.mapper = mapper;
    }

    /** A query's outcome: its columns and rows (at most the limit asked for), how many rows it gave, or its error. */
    public record Result(List<String> columns, List<String> types, List<List<Object>> rows, long rowCount, String error, long millis) {
        public boolean failed() {
            return error != null;
        }
    }

    /** The tool's answer to the model, as JSON text: the rows it may see, or the error. Logged as tool {@code query}. */
    public String answer(String sql) {
        var result = execute(sql, MAX_ROWS);
        var out = mapper.createObjectNode();
        if (result.failed()) {
            out.put("error", result.error());
            log("query", sql, result, 0);
            return out.toString();
        }
        var columns = out.putArray("columns");
        for (int i = 0; i < result.columns().size(); i++)
            columns.addObject().put("name", result.columns().get(i)).put("type", result.types().get(i));
        var rows = out.putArray("rows");
        int budget = MAX_CHARS - out.toString().length() - 400, shown = 0;
        for (var row : result.rows()) {
            ArrayNode node = mapper.valueToTree(row);
            int length = node.toString().length() + 1;
            if (length > budget) break;
            budget -= length;
            rows.add(node);
            seen.addAll(row);
            shown++;
        }
        out.put("row_count", result.rowCount()).put("shown", shown);
        if (shown < result.rowCount())
            out.put("truncated", true).put("note", "only the first " + shown + " of " + result.rowCount()
                    + " rows are shown (at most " + MAX_ROWS + " rows and " + MAX_CHARS / 1000 + " KB); aggregate, filter or LIMIT to see what you need");
        log("query", sql, result, shown);
        return out.toString();
    }

    /** Rows for a chart: at most {@code maxRows}, every value kept for the check (the chart shows them); logged as tool {@code chart}. */
    public Result rows(String sql, int maxRows) {
        var result = execute(sql, maxRows);
        if (!result.failed()) result.rows().forEach(seen::addAll);
        log("chart", sql, result, result.rows().size());
        return result;
    }

    /** Every query run so far, in order. */
    public List<ModelAnalysis.Query> queries() {
        return List.copyOf(log);
    }

    /** Every value a query showed so far. */
    List<Object> seen() {
        return List.copyOf(seen);
    }

    private void log(String tool, String sql, Result result, int shown) {
        log.add(new ModelAnalysis.Query(log.size() + 1, tool, sql, result.failed() ? null : result.rowCount(), shown, result.millis(), result.error()));
    }

    Result execute(String sql, int maxRows) {
        long t0 = System.nanoTime();
        var refused = sql == null ? Optional.of("refused: no SQL given") : refusal(sql);
        if (refused.isPresent()) return new Result(List.of(), List.of(), List.of(), 0, refused.get(), millis(t0));
        try (var statement = db.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            try (var rs = statement.executeQuery(sql)) {
                var md = rs.getMetaData();
                int n = md.getColumnCount();
                var columns = new ArrayList<String>(n);
                var types = new ArrayList<String>(n);
                for (int i = 1; i <= n; i++) {
                    columns.add(md.getColumnName(i));
                    types.add(md.getColumnTypeName(i));
                }
                var rows = new ArrayList<List<Object>>();
                long count = 0;
                while (rs.next()) {
                    if (count++ < maxRows) rows.add(row(rs, n));
                }
                return new Result(columns, types, rows, count, null, millis(t0));
            }
        } catch (SQLException e) {
            return new Result(List.of(), List.of(), List.of(), 0, reason(e), millis(t0));
        }
    }

    /** Why a statement must not run, if so, as DuckDB's parser sees it (comments, case and layout cannot fool it). */
    Optional<String> refusal(String sql) {
        var body = sql;
        var explain = EXPLAIN.matcher(sql);
        if (explain.matches()) body = explain.group(2);
        try (var s = db.prepareStatement("SELECT json_serialize_sql(CAST(? AS VARCHAR))")) {
            s.setString(1, body);
            try (var rs = s.executeQuery()) {
                rs.next();
                var parsed = mapper.readTree(rs.getString(1));
                if (parsed.path("error").asBoolean(false)) {
                    if (parsed.path("error_type").asText().equals("parser"))
                        return Optional.of("Parser Error: " + parsed.path("error_message").asText());
                    return Optional.of("refused: " + ALLOWED);
                }
                int statements = parsed.path("statements").size();
                if (statements == 0) return Optional.of("refused: no statement given");
                if (statements > 1) return Optional.of("refused: one statement at a time (" + statements + " given)");
                return Optional.empty();
            }
        } catch (SQLException | IOException e) {
            return Optional.of("refused: the statement could not be checked: " + e.getMessage());
        }
    }

    private String reason(SQLException e) {
        var m = e.getMessage() == null ? e.toString() : e.getMessage();
        if (m.contains("INTERRUPT"))
            return "stopped: the query ran longer than " + Math.max(1, timeout.toSeconds()) + " s; aggregate, filter or sample the data instead";
        int wrapped = m.indexOf("pending query result");
        if (wrapped >= 0) {
            int error = m.indexOf("Error: ", wrapped);
            if (error >= 0) m = m.substring(error + "Error: ".length());
        }
        m = Reasons.withoutServerPaths(m.strip(), null, null);
        return m.length() > 1_000 ? m.substring(0, 999) + "…" : m;
    }

    private static List<Object> row(ResultSet rs, int n) throws SQLException {
        var row = new ArrayList<Object>(n);
        for (int i = 1; i <= n; i++) row.add(cell(rs.getObject(i)));
        return row;
    }

    /** A value as JSON carries it: numbers stay numbers (not NaN or infinities), the rest text, cut when long. */
    static Object cell(Object v) {
        return switch (v) {
            case null -> null;
            case Double d when d.isNaN() || d.isInfinite() -> d.toString();
            case Float f when f.isNaN() || f.isInfinite() -> f.toString();
            case Float f -> f.doubleValue();
            case Long l -> l;
            case Integer i -> i;
            case Short s -> s.intValue();
            case Byte b -> b.intValue();
            case Double d -> d;
            case BigDecimal b -> b;
            case BigInteger b -> b;
            case Boolean b -> b;
            default -> {
                var s = v.toString();
                yield s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
            }
        };
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
