package dev.herald.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** SQL for the event table: events are written once at ingest and only read after. */
public final class EventStore {

    /** Which of these keys ({@link EventKey}) are stored already. */
    public Set<String> existingEventIds(Connection c, Collection<String> ids) throws SQLException {
        Set<String> found = new HashSet<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            String sql = "SELECT id FROM event WHERE id IN (" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
        }
        return found;
    }

    public void insertEvents(Connection c, List<NewEvent> events, long receivedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO event (id, type, created_at, data, received_at, application_id) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (NewEvent e : events) {
                ps.setString(1, e.key());
                ps.setString(6, e.applicationId());
                ps.setString(2, e.type());
                ps.setLong(3, e.createdAt());
                ps.setString(4, e.data());
                ps.setLong(5, receivedAt);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** By its key ({@link EventKey}). */
    public Optional<StoredEvent> findEvent(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, type, created_at, data, received_at FROM event WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5)))
                        : Optional.empty();
            }
        }
    }

    /** Several events in a few queries (the scheduler's claim), by id; ids not found are absent. */
    public Map<String, StoredEvent> findEvents(Connection c, List<String> ids) throws SQLException {
        Map<String, StoredEvent> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 100) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 100));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT id, type, created_at, data, received_at FROM event"
                    + " WHERE id IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3),
                                rs.getString(4), rs.getLong(5)));
                    }
                }
            }
        }
        return out;
    }
}
