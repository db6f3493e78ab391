package dev.herald.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Finds an application by its id ({@code app_…}) or by the sender's uid for it, as paths and events name it. */
public final class Applications {

    private Applications() {
    }

    /** The application's id, when {@code idOrUid} names one. */
    public static Optional<String> resolve(Connection c, String idOrUid) throws SQLException {
        if (idOrUid == null || idOrUid.isEmpty() || idOrUid.length() > 64) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM application WHERE id = ? OR uid = ?")) {
            ps.setString(1, idOrUid);
            ps.setString(2, idOrUid);
            try (ResultSet rs = ps.executeQuery()) {
                // An id and another application's uid could be the same text: the id wins.
                String found = null;
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (found == null || id.equals(idOrUid)) {
                        found = id;
                    }
                }
                return Optional.ofNullable(found);
            }
        }
    }
}
