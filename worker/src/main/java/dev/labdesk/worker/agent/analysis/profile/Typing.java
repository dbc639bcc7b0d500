package dev.labdesk.worker.agent.analysis.profile;

import java.util.List;
import java.util.Map;

/**
 * How one column is read: its type after inference ({@code type}, a DuckDB type), the SQL that
 * gives the typed value from the raw column ({@code select}), the placeholder tokens counted as
 * missing, and the values that did not fit the majority type (the exceptions, NULL once typed).
 */
record Typing(String name, String sourceType, String type, String kind, String select, long tokens,
              Map<String, Long> tokensFound, long exceptions, List<String> exceptionExamples, String dateFormat, String dateNote) {
    static final String NUMERIC = "numeric", DATETIME = "datetime", BOOLEAN = "boolean", TEXT = "text";

    /** Whether typing changes the column: another type, or values (placeholders) that become NULL. */
    boolean changes() {
        return !type.equals(sourceType) || !select.equals(Sql.id(name));
    }

    /** A date or time DuckDB's reader typed from text, which it does only from ISO 8601 (see {@link TableSource.Delimited}). */
    Typing writtenAsIso() {
        return kind.equals(DATETIME) && dateFormat == null
                ? new Typing(name, sourceType, type, kind, select, tokens, tokensFound, exceptions, exceptionExamples, DateFormat.ISO.shown(), dateNote) : this;
    }
}
