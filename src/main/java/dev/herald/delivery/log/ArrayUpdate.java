package dev.herald.delivery.log;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL only ({@code Dialect.updatesFromArrays}): many delivery rows updated by one statement whose parameters are arrays,
 * one element per row ({@code UPDATE delivery d ... FROM unnest(?, ?, ...) AS v(...) WHERE d.id = v.id
 * ... RETURNING d.id}). A JDBC batch is one statement per row for PostgreSQL, each started and
 * ended by its executor; the attempt writer and the scheduler's claim update hundreds of rows a
 * transaction. With this and multi-row inserts (store.DriverSettings) PostgreSQL's CPU per delivery
 * went from 175 to 135 us with one instance, 97 to 79 us with two, in PostgresComparison runs of the
 * same hour (2026-11-28, 300,000 events of warm-up; README). H2 keeps the batch: it has no
 * UPDATE ... FROM, and a statement per row costs little in the same process.
 */
final class ArrayUpdate {

    /** One array parameter: its PostgreSQL element type and a value per row (nulls allowed). */
    record Column(String type, Object[] values) {

        /** A parameter that is one value for every row, not an array. */
        static Column same(long value) {
            return new Column(null, new Object[] {value});
        }
    }

    private ArrayUpdate() {
    }

    /**
     * Runs {@code sql} with the parameters bound in order; it must return the id of each row it
     * updated. Per id of {@code ids} (the rows in order): whether its row was updated.
     */
    static boolean[] run(Connection c, String sql, List<String> ids, Column... columns) throws SQLException {
        Map<String, Integer> index = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        boolean[] updated = new boolean[ids.size()];
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.length; i++) {
                if (columns[i].type() == null) {
                    ps.setObject(i + 1, columns[i].values()[0]);
                } else {
                    Array array = c.createArrayOf(columns[i].type(), columns[i].values());
                    ps.setArray(i + 1, array);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer i = index.get(rs.getString(1));
                    if (i != null) {
                        updated[i] = true;
                    }
                }
            }
        }
        return updated;
    }
}
