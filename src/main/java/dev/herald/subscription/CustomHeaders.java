package dev.herald.subscription;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.HeraldException;
import dev.herald.signing.SecretSealer;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The header names and values a webhook may add to its requests ({@code headers}, {@code event_type_header}). */
final class CustomHeaders {

    static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,100}");
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host",
            "transfer-encoding", "connection", "user-agent", "x-webhook-id", "x-webhook-delivery", "x-webhook-attempt");
    private static final int MAX_HEADERS = 50;
    private static final int MAX_VALUE = 4096;

    private CustomHeaders() {
    }

    /** {@code event_type_header}: an HTTP header name Herald does not set itself. */
    static String name(JsonNode node, String field) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !HEADER_NAME.matcher(node.asText()).matches()) {
            throw HeraldException.invalid(field, field + " must be an HTTP header name (letters, digits, -)");
        }
        refuseReserved(node.asText(), field, " is set by Herald and cannot be used here");
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
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "headers." + e.getKey();
            if (!HEADER_NAME.matcher(e.getKey()).matches()) {
                throw HeraldException.invalid(field, "not a valid HTTP header name");
            }
            refuseReserved(e.getKey(), field, " is set by Herald and cannot be overridden");
            String v = e.getValue().isTextual() ? e.getValue().asText() : null;
            if (v == null || v.length() > MAX_VALUE || v.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f)) {
                throw HeraldException.invalid(field, "header values must be strings without control characters");
            }
            // Camel 4.18 expands {{...}} property placeholders in some outgoing headers (CAMEL-24418).
            if (v.contains("{{")) {
                throw HeraldException.invalid(field, "header values must not contain \"{{\" (placeholder syntax)");
            }
            if (SecretSealer.isSealed(v)) {
                throw HeraldException.invalid(field, "header values must not start with \"" + SecretSealer.MARKER
                        + "\" (Herald's mark for encrypted values)");
            }
            out.put(e.getKey(), v);
        }
        if (out.size() > MAX_HEADERS) {
            throw HeraldException.invalid("headers", "at most " + MAX_HEADERS + " extra headers");
        }
        return out;
    }

    private static void refuseReserved(String name, String field, String why) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED_HEADERS.contains(lower)) {
            throw HeraldException.invalid(field, name + why);
        }
        // Camel turns message headers named Camel* into behaviour (CamelHttpUri, CamelHttpPath,
        // CamelHttpQuery rewrite the request) and expands placeholders in some of them.
        if (lower.startsWith("camel")) {
            throw HeraldException.invalid(field, name + ": header names starting with Camel are reserved (Camel"
                    + " would act on them)");
        }
    }
}
