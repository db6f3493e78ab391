package dev.herald.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Binds nullable numbers to statement parameters. */
public final class SqlParams {

    private SqlParams() {
    }

    public static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    public static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
