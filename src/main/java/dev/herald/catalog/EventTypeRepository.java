package dev.herald.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL of table {@code event_type}. Every write raises the row's revision ({@link #revisions}). */
public final class EventTypeRepository {

    private static final String COLUMNS = "name, description, schema_json, archived_at, created_at, updated_at";

    public void insert(Connection c, EventType t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_type (" + COLUMNS
                + ", revision) VALUES (?, ?, ?, ?, ?, ?, 1)")) {
            ps.setString(1, t.name());
            ps.setString(2, t.description());
            ps.setString(3, t.schema());
            setLong(ps, 4, t.archivedAt());
            ps.setLong(5, t.createdAt());
            ps.setLong(6, t.updatedAt());
            ps.executeUpdate();
        }
    }

    /** Writes description, schema and archived_at of an existing type; false when there is none. */
    public boolean update(Connection c, EventType t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE event_type SET description = ?, schema_json = ?,"
                + " archived_at = ?, updated_at = ?, revision = revision + 1 WHERE name = ?")) {
            ps.setString(1, t.description());
            ps.setString(2, t.schema());
            setLong(ps, 3, t.archivedAt());
            ps.setLong(4, t.updatedAt());
            ps.setString(5, t.name());
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<EventType> find(Connection c, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM event_type WHERE name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Types by name, after {@code cursor} (exclusive, null: from the first), at most {@code limit}. */
    public List<EventType> list(Connection c, boolean includeArchived, String cursor, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM event_type WHERE name > ?"
                + (includeArchived ? "" : " AND archived_at IS NULL") + " ORDER BY name LIMIT ?")) {
            ps.setString(1, cursor == null ? "" : cursor);
            ps.setInt(2, limit);
            return rows(ps);
        }
    }

    /** Every type, archived ones too: what {@link Catalog} keeps in memory. */
    public List<EventType> all(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM event_type")) {
            return rows(ps);
        }
    }

    /**
     * The sum of all revisions: it grows with every insert and update, so an instance that read
     * the catalog at one sum knows it is current while the sum is the same.
     */
    public long revisions(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(revision), 0) FROM event_type");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<EventType> rows(PreparedStatement ps) throws SQLException {
        List<EventType> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    private static EventType row(ResultSet rs) throws SQLException {
        long archived = rs.getLong(4);
        Long archivedAt = rs.wasNull() ? null : archived;
        return new EventType(rs.getString(1), rs.getString(2), rs.getString(3), archivedAt, rs.getLong(5), rs.getLong(6));
    }

    private static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, value);
        }
    }
}
