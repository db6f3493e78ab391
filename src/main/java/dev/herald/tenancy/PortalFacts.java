package dev.herald.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** What a portal page shows about who it speaks for: the application's names and when its key stops working. */
public final class PortalFacts {

    /** An application as the portal names it. */
    public record Named(String id, String uid, String name) {
    }

    private PortalFacts() {
    }

    public static Optional<Named> application(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, uid, name FROM application WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Named(rs.getString(1), rs.getString(2), rs.getString(3))) : Optional.empty();
            }
        }
    }

    /** When the key expires (epoch ms); empty when it never does or no longer exists. */
    public static Optional<Long> keyExpiry(Connection c, String keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT expires_at FROM api_key WHERE id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long at = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(at);
            }
        }
    }
}
