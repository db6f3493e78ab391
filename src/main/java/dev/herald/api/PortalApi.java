package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;
import dev.herald.store.Database;
import dev.herald.tenancy.ApiKeyStore;
import dev.herald.tenancy.Applications;
import dev.herald.tenancy.PortalFacts;
import dev.herald.tenancy.Scope;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The customer portal's two calls. {@code POST /v1/applications/{app}/portal} (operator only) makes a
 * link: an application key with an expiry, named "portal link" in the keys list (revoking it there
 * ends the link), inside the URL's fragment, which browsers never send to a server or in a Referer.
 * {@code GET /v1/session} (any key) tells a page whom its key speaks for.
 */
public final class PortalApi {

    public static final Set<String> FIELDS = Set.of("expires_in", "read_only");
    static final String KEY_NAME = "portal link";
    private static final Duration DEFAULT_EXPIRY = Duration.ofHours(1);
    private static final Duration MAX_EXPIRY = Duration.ofDays(7);

    private final Database db;
    private final PublicUrl publicUrl;

    public PortalApi(Database db, PublicUrl publicUrl) {
        this.db = db;
        this.publicUrl = publicUrl;
    }

    public ApiResponse link(@Header("app") String app, @Body byte[] body, Exchange exchange) {
        // The Host header, read here rather than bound as a parameter: it is no input the API documents.
        String host = exchange.getMessage().getHeader("Host", String.class);
        JsonNode in = ApiInput.object(body, false, FIELDS);
        boolean readOnly = KeyTerms.readOnly(in.get("read_only"));
        Duration expiresIn = KeyTerms.expiresIn(in.get("expires_in"), DEFAULT_EXPIRY, MAX_EXPIRY, "7d");
        // Checked before the key is made: a refused Host leaves no key behind.
        String base = publicUrl.base(host);
        long now = System.currentTimeMillis();
        ApiKeyStore.Created made = db.inTransaction(c -> {
            String id = Applications.resolve(c, app).orElseThrow(() -> new HeraldException(404, "not_found",
                    "application " + Excerpt.of(app) + " does not exist", "application"));
            return ApiKeyStore.create(c, id, KEY_NAME, readOnly, now, now + expiresIn.toMillis());
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", base + "/ui/portal#token=" + made.value());
        out.put("token", made.value());
        out.put("expires_at", Views.time(made.key().expiresAt()));
        out.put("read_only", readOnly);
        out.put("key_id", made.key().id());
        return ApiResponse.created(out);
    }

    public ApiResponse session(Exchange exchange) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (Scope.of(exchange) instanceof Scope.OfApplication a) {
            PortalFacts.Named named = db.read(c -> PortalFacts.application(c, a.applicationId())).orElseThrow(
                    // Deleted since the key was checked: the key is gone with it.
                    () -> new HeraldException(401, "unauthorized", "the API key is not valid", null));
            Map<String, Object> application = new LinkedHashMap<>();
            application.put("id", named.id());
            application.put("uid", named.uid());
            application.put("name", named.name());
            out.put("scope", "application");
            out.put("application", application);
            out.put("read_only", a.readOnly());
            out.put("expires_at", Views.time(db.read(c -> PortalFacts.keyExpiry(c, a.keyId())).orElse(null)));
        } else {
            out.put("scope", "operator");
            out.put("application", null);
            out.put("read_only", false);
            out.put("expires_at", null);
        }
        return ApiResponse.ok(out);
    }
}
