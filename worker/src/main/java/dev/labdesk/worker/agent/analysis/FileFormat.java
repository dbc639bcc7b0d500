package dev.labdesk.worker.agent.analysis;

import java.util.Locale;

/** What a file of the volume is, judged by its name; the tabular kinds are profiled (or listed with why they could not be). */
public enum FileFormat {
    CSV, TSV, PARQUET, JSON, JSONL, XLSX, XLS, ARROW, OTHER;

    public static FileFormat ofName(String fileName) {
        var name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - 3); // DuckDB decompresses by suffix
        int dot = name.lastIndexOf('.');
        return switch (dot < 0 ? "" : name.substring(dot + 1)) {
            case "csv" -> CSV;
            case "tsv", "tab" -> TSV;
            case "parquet", "pq" -> PARQUET;
            case "json" -> JSON;
            case "jsonl", "ndjson" -> JSONL;
            case "xlsx", "xlsm" -> XLSX;
            case "xls" -> XLS;
            case "arrow", "feather", "ipc", "arrows" -> ARROW;
            default -> OTHER;
        };
    }

    public boolean tabular() {
        return this != OTHER;
    }

    /** The DuckDB table function reading a file of this format, given the file as an SQL string literal. */
    String readFunction(String pathLiteral) {
        return switch (this) {
            case CSV -> "read_csv(" + pathLiteral + ")";
            case TSV -> "read_csv(" + pathLiteral + ", delim = '\t')";
            case PARQUET -> "read_parquet(" + pathLiteral + ")";
            case JSON -> "read_json_auto(" + pathLiteral + ")";
            case JSONL -> "read_json_auto(" + pathLiteral + ", format = 'newline_delimited')";
            case XLSX, XLS, ARROW, OTHER -> throw new IllegalArgumentException("not a format DuckDB reads here: " + this);
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
