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
        // Two indexed lookups: H2 reads the whole table for "id = ? OR uid = ?". The id wins over another's uid.
        Optional<String> byId = one(c, "SELECT id FROM application WHERE id = ?", idOrUid);
        return byId.isPresent() ? byId : one(c, "SELECT id FROM application WHERE uid = ?", idOrUid);
    }

    private static Optional<String> one(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** As {@link #resolve}, for several names in one query: each name found, to its id. */
    public static java.util.Map<String, String> resolveAll(Connection c, java.util.Collection<String> idsOrUids)
            throws SQLException {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        java.util.List<String> names = idsOrUids.stream().filter(n -> n != null && !n.isEmpty() && n.length() <= 64).toList();
        for (int from = 0; from < names.size(); from += 500) {
            java.util.List<String> chunk = names.subList(from, Math.min(names.size(), from + 500));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, uid FROM application WHERE id IN (" + marks + ")"
                            + " UNION ALL SELECT id, uid FROM application WHERE uid IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                    ps.setString(chunk.size() + i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    java.util.Map<String, String> byUid = new java.util.HashMap<>();
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(1));
                        if (rs.getString(2) != null) {
                            byUid.put(rs.getString(2), rs.getString(1));
                        }
                    }
                    // An id and another application's uid could be the same text: the id wins (as in resolve).
                    byUid.forEach(out::putIfAbsent);
                }
            }
        }
        out.keySet().retainAll(new java.util.HashSet<>(names));
        return out;
    }
}
