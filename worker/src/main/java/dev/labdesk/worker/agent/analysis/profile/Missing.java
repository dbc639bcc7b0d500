package dev.labdesk.worker.agent.analysis.profile;

import java.nio.charset.StandardCharsets;

import java.util.List;
import java.util.stream.Collectors;

/** Text that stands for "no value" in exported tables (compared trimmed): counted as missing, never as a value. */
public final class Missing {
    public static final List<String> TOKENS = List.of("", "NA", "N/A", "n/a", "na", "N.A.", "NaN", "nan", "NAN", "null", "NULL", "Null",
            "None", "none", "NONE", "nil", ".", "-", "--", "?", "#N/A", "#NA", "#N/A N/A", "#NULL!", "#VALUE!", "#DIV/0!", "<NA>", "missing", "Missing");

    private static final int LONGEST = TOKENS.stream().mapToInt(t -> t.getBytes(StandardCharsets.UTF_8).length).max().orElseThrow();

    private Missing() {}

    /**
     * SQL: whether the trimmed text {@code expr} is one of {@link #TOKENS} (NULL for NULL, as {@code IN} would give).
     * A list lookup, not {@code IN (…)}: DuckDB plans a long {@code IN} as a join, one per column of a wide table.
     */
    static String isToken(String expr) {
        return isTokenTrimmed(Sql.trim(expr));
    }

    /** SQL: whether {@code trimmed}, text already trimmed, is one of {@link #TOKENS}. */
    static String isTokenTrimmed(String trimmed) {
        // no token is longer: the length (in bytes, kept with the string) spares the list lookup for longer text
        return "(strlen(" + trimmed + ") <= " + LONGEST + " AND list_contains(" + list() + ", " + trimmed + "))";
    }

    /** SQL: the tokens as a list literal. */
    public static String list() {
        return "[" + TOKENS.stream().map(Sql::literal).collect(Collectors.joining(", ")) + "]";
    }
}
