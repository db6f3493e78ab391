package dev.herald.tenancy;

import dev.herald.error.HeraldException;
import dev.herald.store.Database;
import dev.herald.store.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code application} table. A duplicate uid is refused with 409 {@code conflict}, field {@code uid}. */
public final class ApplicationStore {

    private static final String COLUMNS = "id, uid, name, metadata, created_at, updated_at";

    public void insert(Connection c, Application a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO application (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.uid());
            ps.setString(3, a.name());
            ps.setString(4, Json.write(a.metadata()));
            ps.setLong(5, a.createdAt());
            ps.setLong(6, a.updatedAt());
            execute(ps, a);
        }
    }

    public void update(Connection c, Application a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE application SET uid = ?, name = ?, metadata = ?, updated_at = ?"
                + " WHERE id = ?")) {
            ps.setString(1, a.uid());
            ps.setString(2, a.name());
            ps.setString(3, Json.write(a.metadata()));
            ps.setLong(4, a.updatedAt());
            ps.setString(5, a.id());
            execute(ps, a);
        }
    }

    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM application WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** The application named by its id or uid ({@link Applications#resolve}). */
    public Optional<Application> find(Connection c, String idOrUid) throws SQLException {
        Optional<String> id = Applications.resolve(c, idOrUid);
        return id.isEmpty() ? Optional.empty() : read(c, id.get(), "");
    }

    /**
     * The application named by its id or uid, its row locked until the transaction ends: a webhook
     * created for it and its deletion then happen one after the other, never leaving a webhook of a
     * deleted application.
     */
    public Optional<Application> findForUpdate(Connection c, String idOrUid) throws SQLException {
        Optional<String> id = Applications.resolve(c, idOrUid);
        return id.isEmpty() ? Optional.empty() : read(c, id.get(), " FOR UPDATE");
    }

    /** Applications in id (creation) order after {@code cursor}; up to {@code limit}. */
    public List<Application> list(Connection c, String cursor, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM application" + (cursor == null ? "" : " WHERE id > ?")
                + " ORDER BY id FETCH FIRST " + limit + " ROWS ONLY";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (cursor != null) {
                ps.setString(1, cursor);
            }
            List<Application> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    private Optional<Application> read(Connection c, String id, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM application WHERE id = ?" + lock)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static Application read(ResultSet rs) throws SQLException {
        return new Application(rs.getString(1), rs.getString(2), rs.getString(3), Json.stringMap(rs.getString(4)),
                rs.getLong(5), rs.getLong(6));
    }

    private static void execute(PreparedStatement ps, Application a) throws SQLException {
        try {
            ps.executeUpdate();
        } catch (SQLException e) {
            if (Database.isDuplicateKey(e)) {
                throw new HeraldException(409, "conflict", "an application with uid " + a.uid() + " exists already", "uid");
            }
            throw e;
        }
    }
}
