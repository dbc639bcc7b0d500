package dev.labdesk.worker.agent.analysis.experiment;

import dev.labdesk.worker.agent.analysis.profile.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Columns of the tested table that look like another factor of the experiment (a few repeated values: a medium, a
 * temperature, a plate) and vary within the compared groups: the test pools over them, which the reader must know.
 */
final class OtherFactors {
    /** A column and its values among the compared groups' rows. */
    record Factor(String column, List<String> values) {}

    private OtherFactors() {}

    static List<Factor> pooled(Connection db, Selection s) throws SQLException {
        var out = new ArrayList<Factor>();
        var g = FrameLoader.value(s.group().name());
        var in = s.groups().stream().map(Sql::literal).collect(Collectors.joining(", "));
        for (var c : s.frame().columns()) {
            if (c == s.group() || c == s.replicate() || c == s.time() || c == s.measure() || !ColumnMatcher.factor(c)) continue;
            if (s.within().stream().anyMatch(w -> w.column() == c)) continue;
            var v = FrameLoader.value(c.name());
            boolean varies = Sql.query(db, "SELECT count(*) FROM (SELECT " + g + " AS g FROM " + s.frame().sql() + " WHERE " + g + " IN (" + in + ") AND " + v
                    + " IS NOT NULL" + Observations.within(s) + " GROUP BY g HAVING count(DISTINCT " + v + ") > 1)", rs -> rs.next() && rs.getLong(1) > 0);
            if (!varies) continue;
            var values = Sql.query(db, "SELECT DISTINCT " + v + " AS v FROM " + s.frame().sql() + " WHERE " + g + " IN (" + in + ") AND " + v
                    + " IS NOT NULL" + Observations.within(s) + " ORDER BY v", rs -> {
                var l = new ArrayList<String>();
                while (rs.next()) l.add(rs.getString(1));
                return l;
            });
            out.add(new Factor(c.name(), values));
        }
        return out;
    }
}
