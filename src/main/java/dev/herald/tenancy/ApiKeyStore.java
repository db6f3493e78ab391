package dev.herald.tenancy;

import dev.herald.store.Ids;
import dev.herald.store.SecretFile;
import dev.herald.store.SqlParams;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The {@code api_key} table. A key is {@code hk_} and 32 random bytes; only its SHA-256 is stored,
 * so the database (or a backup of it) holds nothing that opens the API. Revoking deletes the row.
 */
public final class ApiKeyStore {

    /** A key just made: the value is in this record only, shown to the caller once. */
    public record Created(ApiKey key, String value) {
    }

    private static final String COLUMNS = "id, application_id, name, key_hint, read_only, created_at, expires_at";

    private ApiKeyStore() {
    }

    public static Created create(Connection c, String applicationId, String name, boolean readOnly, long now,
                                 Long expiresAt) throws SQLException {
        String value = SecretFile.random("hk_", 32);
        ApiKey key = new ApiKey(Ids.next("key_"), applicationId, name, value.substring(value.length() - 4), readOnly,
                now, expiresAt);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_key (" + COLUMNS
                + ", key_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, key.id());
            ps.setString(2, applicationId);
            ps.setString(3, name);
            ps.setString(4, key.hint());
            ps.setBoolean(5, readOnly);
            ps.setLong(6, now);
            SqlParams.setLong(ps, 7, expiresAt);
            ps.setString(8, hash(value));
            ps.executeUpdate();
        }
        return new Created(key, value);
    }

    /**
     * Up to {@code limit} of the application's keys after {@code cursor} (a key id, or null), oldest
     * first, expired ones included (they show their expires_at).
     */
    public static List<ApiKey> list(Connection c, String applicationId, String cursor, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM api_key WHERE application_id = ? AND id > ? ORDER BY id LIMIT ?")) {
            ps.setString(1, applicationId);
            ps.setString(2, cursor == null ? "" : cursor);
            ps.setInt(3, limit);
            return read(ps);
        }
    }

    /** The key whose SHA-256 is {@code hash}, expired or not. */
    public static Optional<ApiKey> findByHash(Connection c, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_key WHERE key_hash = ?")) {
            ps.setString(1, hash);
            return read(ps).stream().findFirst();
        }
    }

    /** Deletes the application's key {@code keyId}; false when it has none by that id. */
    public static boolean revoke(Connection c, String applicationId, String keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_key WHERE id = ? AND application_id = ?")) {
            ps.setString(1, keyId);
            ps.setString(2, applicationId);
            return ps.executeUpdate() == 1;
        }
    }

    /** The stored form of a key: SHA-256 of its UTF-8 bytes, lower-case hex. */
    public static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ApiKey> read(PreparedStatement ps) throws SQLException {
        List<ApiKey> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long expires = rs.getLong(7);
                Long expiresAt = rs.wasNull() ? null : expires;
                out.add(new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                        rs.getLong(6), expiresAt));
            }
        }
        return out;
    }
}
