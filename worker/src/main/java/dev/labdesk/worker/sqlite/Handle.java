package dev.labdesk.worker.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection and its prepared statements, kept: preparing a statement parses its SQL, and the
 * hot writes (an event per row) would parse it again for every row. Used by one thread at a time.
 */
public final class Handle {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Handle(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    /** The statement for {@code sql}, prepared once per connection; its parameters are cleared. */
    public PreparedStatement prepare(String sql) throws SQLException {
        var s = statements.get(sql);
        if (s == null || s.isClosed()) {
            s = connection.prepareStatement(sql);
            statements.put(sql, s);
        } else {
            s.clearParameters();
        }
        return s;
    }

    /** A statement run once (schema changes): not kept. */
    public void execute(String sql) throws SQLException {
        try (var s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    public long queryLong(String sql, long otherwise, Object... parameters) throws SQLException {
        var s = prepare(sql);
        for (int i = 0; i < parameters.length; i++) s.setObject(i + 1, parameters[i]);
        try (var rs = s.executeQuery()) {
            if (!rs.next()) return otherwise;
            long v = rs.getLong(1);
            return rs.wasNull() ? otherwise : v;
        }
    }

    public int update(String sql, Object... parameters) throws SQLException {
        var s = prepare(sql);
        for (int i = 0; i < parameters.length; i++) s.setObject(i + 1, parameters[i]);
        return s.executeUpdate();
    }

    /** Closes the kept statements (after a failure, the driver may have closed some of them itself). */
    void forgetStatements() {
        for (var s : statements.values()) {
            try {
                s.close();
            } catch (SQLException ignored) {
                // closing the connection frees it too
            }
        }
        statements.clear();
    }

    void close() {
        forgetStatements();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more to free
        }
    }
}
