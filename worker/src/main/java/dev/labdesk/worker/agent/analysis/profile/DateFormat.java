package dev.labdesk.worker.agent.analysis.profile;

import java.util.List;

/**
 * A way dates are written that the profiler recognises. {@code strptime} null means ISO 8601 (DuckDB's own cast);
 * {@code order} is "day/month" or "month/day" for the forms where both are possible, else null.
 */
record DateFormat(String strptime, String shown, boolean time, String order) {
    static final DateFormat ISO = new DateFormat(null, "ISO 8601", false, null);

    static final List<DateFormat> ALL = List.of(ISO,
            new DateFormat("%Y/%m/%d", "yyyy/mm/dd", false, null),
            new DateFormat("%Y/%m/%d %H:%M", "yyyy/mm/dd hh:mm", true, null),
            new DateFormat("%d/%m/%Y", "dd/mm/yyyy", false, "day/month"),
            new DateFormat("%m/%d/%Y", "mm/dd/yyyy", false, "month/day"),
            new DateFormat("%d/%m/%Y %H:%M", "dd/mm/yyyy hh:mm", true, "day/month"),
            new DateFormat("%m/%d/%Y %H:%M", "mm/dd/yyyy hh:mm", true, "month/day"),
            new DateFormat("%d/%m/%Y %H:%M:%S", "dd/mm/yyyy hh:mm:ss", true, "day/month"),
            new DateFormat("%m/%d/%Y %H:%M:%S", "mm/dd/yyyy hh:mm:ss", true, "month/day"),
            new DateFormat("%d.%m.%Y", "dd.mm.yyyy", false, null),
            new DateFormat("%d.%m.%Y %H:%M", "dd.mm.yyyy hh:mm", true, null),
            new DateFormat("%d-%m-%Y", "dd-mm-yyyy", false, null),
            new DateFormat("%b %d %Y", "Mon d yyyy", false, null),
            new DateFormat("%b %d, %Y", "Mon d, yyyy", false, null),
            new DateFormat("%B %d %Y", "Month d yyyy", false, null),
            new DateFormat("%B %d, %Y", "Month d, yyyy", false, null),
            new DateFormat("%d %b %Y", "d Mon yyyy", false, null),
            new DateFormat("%d %B %Y", "d Month yyyy", false, null),
            new DateFormat("%d-%b-%Y", "d-Mon-yyyy", false, null),
            new DateFormat("%b %d %Y %H:%M", "Mon d yyyy hh:mm", true, null));

    /** SQL: the timestamp the trimmed text {@code t} reads as in this format, or NULL. */
    String parse(String t) {
        if (strptime == null)
            return "CASE WHEN regexp_matches(" + t + ", '^\\d{4}-\\d{1,2}-\\d{1,2}') THEN TRY_CAST(" + t + " AS TIMESTAMP) END";
        return "try_strptime(" + t + ", " + Sql.literal(strptime) + ")";
    }

    /** The same form with day and month the other way round, if it has one. */
    DateFormat swapped() {
        if (order == null) return null;
        var other = strptime.contains("%d/%m") ? strptime.replace("%d/%m", "%m/%d") : strptime.replace("%m/%d", "%d/%m");
        return ALL.stream().filter(f -> other.equals(f.strptime())).findFirst().orElse(null);
    }
}
