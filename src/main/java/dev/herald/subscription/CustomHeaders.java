package dev.herald.subscription;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.signing.HeaderRules;
import dev.herald.error.HeraldException;
import dev.herald.signing.SecretSealer;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The header names and values a webhook may add to its requests ({@code headers},
 * {@code event_type_header}), by the rules of {@link HeaderRules}.
 */
final class CustomHeaders {

    private static final int MAX_HEADERS = 50;
    private static final int MAX_VALUE = 4096;

    private CustomHeaders() {
    }

    /** {@code event_type_header}: an HTTP header name Herald does not set itself. */
    static String name(JsonNode node, String field) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw HeraldException.invalid(field, field + " must be an HTTP header name (letters, digits, -)");
        }
        HeaderRules.checkName(node.asText(), field);
        return node.asText();
    }

    /** {@code headers}: an object of header name to string value; null or absent means none. */
    static Map<String, String> parse(JsonNode node) {
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw HeraldException.invalid("headers", "headers must be an object of header name to string value");
        }
        if (node.size() > MAX_HEADERS) {
            throw HeraldException.invalid("headers", "at most " + MAX_HEADERS + " extra headers");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "headers." + e.getKey();
            HeaderRules.checkName(e.getKey(), field);
            if (!e.getValue().isTextual()) {
                throw HeraldException.invalid(field, "header values must be strings");
            }
            String v = e.getValue().asText();
            HeaderRules.checkValue(v, field, MAX_VALUE);
            if (SecretSealer.isSealed(v)) {
                throw HeraldException.invalid(field, "header values must not start with \"" + SecretSealer.MARKER
                        + "\" (Herald's mark for encrypted values)");
            }
            out.put(e.getKey(), v);
        }
        return out;
    }
}
