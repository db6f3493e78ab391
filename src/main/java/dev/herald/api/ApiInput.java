package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.HeraldException;
import dev.herald.store.Json;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/** Request bodies and query parameters, refused with a clear 400 when malformed. */
final class ApiInput {

    private ApiInput() {
    }

    static JsonNode json(byte[] body, boolean required) {
        if (body == null || body.length == 0) {
            if (required) {
                throw HeraldException.invalid(null, "the request body must be a JSON object");
            }
            return Json.MAPPER.createObjectNode();
        }
        JsonNode node = Json.readBody(body);
        if (node == null) {
            throw HeraldException.invalid(null, "the request body must be a JSON object");
        }
        return node;
    }

    /**
     * A JSON object body of which every field is one of {@code fields}: a misspelt optional field
     * would otherwise be ignored without a word (the document gives these bodies additionalProperties false).
     */
    static JsonNode object(byte[] body, boolean required, Set<String> fields) {
        JsonNode node = json(body, required);
        if (!node.isObject()) {
            throw HeraldException.invalid(null, "the request body must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw HeraldException.invalid(f, "unknown field \"" + f + "\"; this call takes " + String.join(", ", new TreeSet<>(fields)));
            }
        }
        return node;
    }

    static int limit(String value, int defaultLimit) {
        return number(value, "limit", 1, 250, defaultLimit);
    }

    /** A whole number from {@code min} to {@code max} given as a query parameter; {@code otherwise} when absent. */
    static int number(String value, String field, int min, int max, int otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw HeraldException.invalid(field, field + " must be a number from " + min + " to " + max);
    }

    static boolean flag(String value, String name) {
        if (value == null || value.isBlank() || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw HeraldException.invalid(name, name + " must be true or false");
    }

    /** An optional ISO-8601 time with an offset ({@code 2026-03-01T12:00:00Z}) as epoch ms; null when absent. */
    static Long time(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            // A '+01:00' offset written unencoded in a query string arrives as ' 01:00'.
            if (text.indexOf(' ') > 0) {
                return time(text.replace(' ', '+'), field);
            }
            throw HeraldException.invalid(field, field + " must be an ISO-8601 time such as 2026-03-01T12:00:00Z");
        }
    }

    /** A time in a JSON body: absent or null is null; anything but such a string is refused. */
    static Long time(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw HeraldException.invalid(field, field + " must be an ISO-8601 time such as 2026-03-01T12:00:00Z");
        }
        return time(v.asText(), field);
    }

    /** Refuses a window that ends before it starts (either end may be open). */
    static void window(Long since, Long until) {
        if (since != null && until != null && until < since) {
            throw HeraldException.invalid("until", "until must not be before since");
        }
    }
}
