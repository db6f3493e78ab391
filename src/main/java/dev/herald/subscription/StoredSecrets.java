package dev.herald.subscription;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.egress.ClientTls;
import dev.herald.oauth.ReceiverAuth;
import dev.herald.signing.SecretSealer;
import dev.herald.store.Database;
import dev.herald.store.Json;
import dev.herald.subscription.Webhook.PreviousSecret;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a webhook's secrets sit in its row, each value sealed with {@code herald.secrets.key}
 * when one is set: {@code secret}; {@code previous_secrets}, a JSON list
 * {@code [{"secret":..., "until":<epoch ms>}]} newest first; {@code headers}, a JSON object
 * whose names stay readable and whose values are sealed; {@code tls}, the client key sealed;
 * {@code auth}, its client secret sealed.
 */
public final class StoredSecrets {

    private static final Logger LOG = LoggerFactory.getLogger(StoredSecrets.class);

    private final SecretSealer sealer;

    public StoredSecrets(SecretSealer sealer) {
        this.sealer = sealer;
    }

    /** Values stored as given (no key). */
    public static StoredSecrets plain() {
        return new StoredSecrets(SecretSealer.plain());
    }

    /**
     * Run once at start, after the migrations and before any route: opens every stored value, so
     * a missing or wrong key stops the start with a clear message instead of failing each delivery,
     * and, with a key, seals the values still stored in plain text (rows written before the key
     * was set).
     *
     * @throws IllegalArgumentException for a malformed key; IllegalStateException for stored
     *                                  values the key cannot open
     */
    public static StoredSecrets atStart(Database db, String keySetting) {
        StoredSecrets stored = fromSetting(keySetting);
        stored.openAllAndSeal(db);
        return stored;
    }

    /**
     * With the key of {@code herald.secrets.key} (empty: none), before the database opens.
     *
     * @throws IllegalArgumentException for a malformed key (the message never holds the value)
     */
    public static StoredSecrets fromSetting(String keySetting) {
        return new StoredSecrets(SecretSealer.fromSetting(keySetting));
    }

    /**
     * The start's check of every stored value, sealing those still in plain text when there is a
     * key (see {@link #atStart}). Returns how many rows were rewritten: their old versions may
     * still be in the database's files, which the caller clears (StoreWiring compacts the H2 file).
     */
    public int openAllAndSeal(Database db) {
        if (!sealer.hasKey()) {
            LOG.warn("{} is not set: webhook signing secrets and custom header values are stored in plain text."
                    + " Set it (or HERALD_SECRETS_KEY) to 32 random bytes in base64 (openssl rand -base64 32);"
                    + " the rows are sealed at the next start. Keep the key: without it sealed secrets cannot be read.",
                    SecretSealer.KEY_SETTING);
            db.read(c -> sealPlainRows(c, false));
            return 0;
        }
        int sealed = db.inTransaction(c -> sealPlainRows(c, true));
        LOG.info("Webhook secrets are sealed at rest (AES-GCM, {}); {} webhook(s) stored in plain text were sealed now",
                SecretSealer.KEY_SETTING, sealed);
        return sealed;
    }

    /** Opens every stored value; with {@code write}, rewrites the rows holding plain ones sealed. Returns how many. */
    int sealPlainRows(Connection c, boolean write) throws SQLException {
        List<Object[]> rewrites = new ArrayList<>();
        // FOR UPDATE: a rotation or patch by another instance meanwhile waits rather than being overwritten.
        String sql = "SELECT id, secret, previous_secrets, headers, tls, auth FROM webhook ORDER BY id"
                + (write ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                try {
                    String secret = rs.getString(2);
                    String previous = rs.getString(3);
                    String headers = rs.getString(4);
                    String plainSecret = secret(secret);
                    List<PreviousSecret> plainPrevious = previous(previous);
                    Map<String, String> plainHeaders = headers(headers);
                    String tlsColumn = rs.getString(5);
                    String authColumn = rs.getString(6);
                    ClientTls plainTls = tls(tlsColumn);
                    ReceiverAuth plainAuth = auth(authColumn);
                    boolean plainAccess = (tlsColumn != null && !SecretSealer.isSealed(ClientTls.storedKey(Json.tree(tlsColumn))))
                            || (authColumn != null && ReceiverAuth.storedSecrets(Json.tree(authColumn)).stream()
                                    .anyMatch(v -> !SecretSealer.isSealed(v)));
                    if (write && (!SecretSealer.isSealed(secret) || holdsPlain(previous, "secret") || holdsPlain(headers, null)
                            || plainAccess)) {
                        rewrites.add(new Object[] {secretColumn(plainSecret),
                                previousColumn(plainPrevious, System.currentTimeMillis()), headersColumn(plainHeaders),
                                tlsColumn(plainTls), authColumn(plainAuth), id});
                    }
                } catch (SecretSealer.SealedSecretException e) {
                    throw new IllegalStateException("Cannot start: webhook " + id + ": " + e.getMessage(), e);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE webhook SET secret = ?, previous_secrets = ?, headers = ?, tls = ?, auth = ? WHERE id = ?")) {
            for (Object[] row : rewrites) {
                for (int i = 0; i < row.length; i++) {
                    ps.setString(i + 1, (String) row[i]);
                }
                ps.addBatch();
            }
            if (!rewrites.isEmpty()) {
                ps.executeBatch();
            }
        }
        return rewrites.size();
    }

    /** Whether a stored JSON column holds a plain value: list entries' {@code field}, or an object's values. */
    private static boolean holdsPlain(String column, String field) {
        if (column == null || column.isEmpty()) {
            return false;
        }
        for (JsonNode n : Json.tree(column)) {
            if (!SecretSealer.isSealed((field == null ? n : n.get(field)).asText())) {
                return true;
            }
        }
        return false;
    }

    String secretColumn(String secret) {
        return sealer.seal(secret);
    }

    String secret(String column) {
        return sealer.unseal(column);
    }

    /** The entries still in their grace period at {@code now} (expired ones are dropped on every write); null for none. */
    String previousColumn(List<PreviousSecret> previous, long now) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PreviousSecret p : previous) {
            if (p.until() > now) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("secret", sealer.seal(p.secret()));
                entry.put("until", p.until());
                out.add(entry);
            }
        }
        return out.isEmpty() ? null : Json.write(out);
    }

    List<PreviousSecret> previous(String column) {
        if (column == null || column.isEmpty()) {
            return List.of();
        }
        List<PreviousSecret> out = new ArrayList<>();
        for (JsonNode n : Json.tree(column)) {
            out.add(new PreviousSecret(sealer.unseal(n.get("secret").asText()), n.get("until").asLong()));
        }
        return out;
    }

    String headersColumn(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((name, value) -> out.put(name, sealer.seal(value)));
        return Json.write(out);
    }

    /** The client certificate, its key sealed; null for none. */
    String tlsColumn(ClientTls tls) {
        return tls == null ? null : tls.toStored(sealer::seal);
    }

    ClientTls tls(String column) {
        return column == null || column.isEmpty() ? null : ClientTls.fromStored(Json.tree(column), sealer::unseal);
    }

    /** The receiver authentication, its secrets sealed; null for none. */
    String authColumn(ReceiverAuth auth) {
        return auth == null ? null : auth.toStored(sealer::seal);
    }

    ReceiverAuth auth(String column) {
        return column == null || column.isEmpty() ? null : ReceiverAuth.fromStored(Json.tree(column), sealer::unseal);
    }

    Map<String, String> headers(String column) {
        Map<String, String> stored = Json.stringMap(column);
        stored.replaceAll((name, value) -> sealer.unseal(value));
        return stored;
    }
}
