package dev.labdesk.worker.agent.analysis.profile;

import java.util.List;
import java.util.stream.Collectors;

/** Text that stands for "no value" in exported tables (compared trimmed): counted as missing, never as a value. */
public final class Missing {
    public static final List<String> TOKENS = List.of("", "NA", "N/A", "n/a", "na", "N.A.", "NaN", "nan", "NAN", "null", "NULL", "Null",
            "None", "none", "NONE", "nil", ".", "-", "--", "?", "#N/A", "#NA", "#N/A N/A", "#NULL!", "#VALUE!", "#DIV/0!", "<NA>", "missing", "Missing");

    private Missing() {}

    /**
     * SQL: whether the trimmed text {@code expr} is one of {@link #TOKENS} (NULL for NULL, as IN gives). A list lookup, not
     * {@code IN (…)}: DuckDB plans a long IN list as a join, and one per column of a 96-well plate exhausts its memory.
     */
    static String isToken(String expr) {
        return "list_contains(" + list() + ", trim(" + expr + "))";
    }

    /** SQL: the tokens as a list literal. */
    public static String list() {
        return "[" + TOKENS.stream().map(Sql::literal).collect(Collectors.joining(", ")) + "]";
    }
}
