package dev.herald.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A query built from optional filters, with its parameters in order: the SQL holds only
 * placeholders, never a caller's text. Kept as a value so a tool can EXPLAIN the exact
 * query the API runs.
 */
public record BoundQuery(String sql, List<Object> params) {

    public BoundQuery {
        params = List.copyOf(params);
    }

    /** Builds the SQL and its parameters side by side. */
    public static final class Builder {
        private final StringBuilder sql;
        private final List<Object> params = new ArrayList<>();

        public Builder(String start) {
            sql = new StringBuilder(start);
        }

        /** Appends SQL text written by Herald, with a parameter for each of its {@code ?}. */
        public Builder add(String text, Object... values) {
            sql.append(text);
            params.addAll(List.of(values));
            return this;
        }

        public BoundQuery build() {
            return new BoundQuery(sql.toString(), params);
        }
    }

    /**
     * The statement with every parameter bound ({@code prefix}, such as "EXPLAIN ", goes before the SQL),
     * planned for its values every time ({@link Dialect#planForItsValues}).
     */
    public PreparedStatement prepare(Connection c, Dialect dialect, String prefix) throws SQLException {
        PreparedStatement ps = c.prepareStatement(prefix + sql);
        try {
            dialect.planForItsValues(ps);
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else if (p instanceof String s) {
                    ps.setString(i + 1, s);
                } else {
                    throw new IllegalArgumentException("parameter " + (i + 1) + " is a " + p.getClass());
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    public PreparedStatement prepare(Connection c, Dialect dialect) throws SQLException {
        return prepare(c, dialect, "");
    }
}
