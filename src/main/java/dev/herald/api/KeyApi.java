package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.HeraldException;
import dev.herald.store.Database;
import dev.herald.tenancy.ApiKey;
import dev.herald.tenancy.ApiKeyStore;
import dev.herald.tenancy.Applications;
import dev.herald.tenancy.KeyScopes;

import org.apache.camel.Body;
import org.apache.camel.Header;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/applications/{app}/keys}: an application's API keys, made, listed and revoked by the
 * operator (ApiRoutes declares them operator-only). A new key's value is in the 201 answer only;
 * Herald keeps its digest and never logs it.
 */
public final class KeyApi {

    /** The fields of a create body. */
    public static final Set<String> FIELDS = Set.of("name", "expires_in", "read_only");
    private static final Duration MAX_EXPIRY = Duration.ofDays(3650);
    private static final int MAX_NAME = 200;

    private final Database db;
    private final KeyScopes scopes;
    private final int pageSize;

    public KeyApi(Database db, KeyScopes scopes, int pageSize) {
        this.db = db;
        this.scopes = scopes;
        this.pageSize = pageSize;
    }

    public ApiResponse create(@Header("app") String app, @Body byte[] body) {
        JsonNode in = ApiInput.object(body, false, FIELDS);
        String name = name(in.get("name"));
        boolean readOnly = KeyTerms.readOnly(in.get("read_only"));
        Duration expiresIn = KeyTerms.expiresIn(in.get("expires_in"), null, MAX_EXPIRY, "3650d");
        long now = System.currentTimeMillis();
        ApiKeyStore.Created made = db.inTransaction(c -> ApiKeyStore.create(c, application(c, app), name, readOnly, now,
                expiresIn == null ? null : now + expiresIn.toMillis()));
        ApiKey k = made.key();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", k.id());
        out.put("key", made.value());
        out.put("name", k.name());
        out.put("read_only", k.readOnly());
        out.put("created_at", Views.time(k.createdAt()));
        out.put("expires_at", Views.time(k.expiresAt()));
        return ApiResponse.created(out);
    }

    public ApiResponse list(@Header("app") String app, @Header("limit") String limit, @Header("cursor") String cursor) {
        int n = ApiInput.limit(limit, pageSize);
        String after = cursor == null || cursor.isBlank() ? null : cursor.trim();
        List<ApiKey> page = db.read(c -> ApiKeyStore.list(c, application(c, app), after, n + 1));
        boolean more = page.size() > n;
        List<ApiKey> shown = more ? page.subList(0, n) : page;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", shown.stream().map(KeyApi::view).toList());
        out.put("has_more", more);
        out.put("next_cursor", more ? shown.get(shown.size() - 1).id() : null);
        return ApiResponse.ok(out);
    }

    /** Revokes the key: it stops working here at once and on every other instance within 5 s (KeyScopes). */
    public ApiResponse revoke(@Header("app") String app, @Header("key_id") String keyId) {
        boolean gone = db.inTransaction(c -> ApiKeyStore.revoke(c, application(c, app), keyId));
        if (!gone) {
            throw HeraldException.notFound("key", keyId);
        }
        scopes.forgetKey(keyId);
        return ApiResponse.noContent();
    }

    private static String application(Connection c, String app) throws SQLException {
        return Applications.resolve(c, app).orElseThrow(() -> new HeraldException(404, "not_found",
                "application " + dev.herald.error.Excerpt.of(app) + " does not exist", "application"));
    }

    private static Map<String, Object> view(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("hint", "..." + k.hint());
        m.put("read_only", k.readOnly());
        m.put("created_at", Views.time(k.createdAt()));
        m.put("expires_at", Views.time(k.expiresAt()));
        return m;
    }

    private static String name(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().length() > MAX_NAME) {
            throw HeraldException.invalid("name", "name must be a string of at most " + MAX_NAME + " characters");
        }
        return n.asText();
    }
}
