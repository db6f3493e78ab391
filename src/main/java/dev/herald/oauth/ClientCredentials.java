package dev.herald.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * OAuth2 client credentials (RFC 6749 section 4.4): Herald asks {@code tokenUrl} for a token as
 * {@code clientId} and sends it to the receiver as {@code Authorization: Bearer}. {@code scope}
 * and {@code audience} are null when not asked for.
 */
public record ClientCredentials(String tokenUrl, String clientId, String clientSecret, String scope, String audience,
                                Method method) implements ReceiverAuth {

    public static final String TYPE = "oauth2_client_credentials";
    private static final Set<String> FIELDS = Set.of("type", "token_url", "client_id", "client_secret", "scope",
            "audience", "method");
    private static final int MAX_TEXT = 1000;

    /** How the client authenticates to the token server. */
    public enum Method {
        CLIENT_SECRET_BASIC, CLIENT_SECRET_POST;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Method of(String text) {
            for (Method m : values()) {
                if (m.text().equals(text)) {
                    return m;
                }
            }
            throw HeraldException.invalid(ReceiverAuth.FIELD + ".method", "unknown method '" + Excerpt.of(text)
                    + "'; expected client_secret_basic or client_secret_post");
        }
    }

    static ClientCredentials parse(JsonNode node, ClientCredentials current) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw HeraldException.invalid(FIELD + "." + f, "unknown field; allowed: " + String.join(", ", FIELDS));
            }
        }
        String tokenUrl = text(node, "token_url", 2048);
        String clientId = text(node, "client_id", MAX_TEXT);
        String secret = text(node, "client_secret", MAX_TEXT);
        if (tokenUrl == null) {
            throw HeraldException.invalid(FIELD + ".token_url", "token_url is required");
        }
        if (clientId == null) {
            throw HeraldException.invalid(FIELD + ".client_id", "client_id is required");
        }
        if (secret == null) {
            if (current == null) {
                throw HeraldException.invalid(FIELD + ".client_secret", "client_secret is required");
            }
            // The kept secret goes only where it went before: a caller who cannot read it must not be
            // able to have Herald send it to a token URL of their choosing.
            if (!current.tokenUrl().equals(tokenUrl)) {
                throw HeraldException.invalid(FIELD + ".client_secret", "client_secret is required when token_url"
                        + " changes");
            }
            secret = current.clientSecret();
        }
        String method = text(node, "method", 40);
        return new ClientCredentials(tokenUrl, clientId, secret, text(node, "scope", MAX_TEXT),
                text(node, "audience", MAX_TEXT), method == null ? Method.CLIENT_SECRET_BASIC : Method.of(method));
    }

    private static String text(JsonNode node, String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isEmpty()) {
            throw HeraldException.invalid(FIELD + "." + field, field + " must be a non-empty string");
        }
        String s = v.textValue();
        if (s.length() > max) {
            throw HeraldException.invalid(FIELD + "." + field, field + " must be at most " + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7F) {
                throw HeraldException.invalid(FIELD + "." + field, field + " must not contain control characters");
            }
        }
        return s;
    }

    @Override
    public ObjectNode view() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", TYPE);
        n.put("token_url", tokenUrl);
        n.put("client_id", clientId);
        n.put("client_secret", "****");
        n.put("scope", scope);
        n.put("audience", audience);
        n.put("method", method.text());
        return n;
    }

    @Override
    public String toStored(UnaryOperator<String> seal) {
        ObjectNode n = view();
        n.put("client_secret", seal.apply(clientSecret));
        return n.toString();
    }

    static List<String> storedSecrets(JsonNode stored) {
        return List.of(stored.get("client_secret").asText());
    }

    static ClientCredentials fromStored(JsonNode n, UnaryOperator<String> unseal) {
        return new ClientCredentials(n.get("token_url").asText(), n.get("client_id").asText(),
                unseal.apply(n.get("client_secret").asText()), textOrNull(n, "scope"), textOrNull(n, "audience"),
                Method.of(n.get("method").asText()));
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public String toString() {
        return "ClientCredentials[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=****]";
    }
}
