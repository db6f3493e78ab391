package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.HeraldException;
import dev.herald.store.Json;


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

    static int limit(String value, int defaultLimit) {
        if (value == null || value.isBlank()) {
            return defaultLimit;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 250) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw HeraldException.invalid("limit", "limit must be a number from 1 to 250");
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
}
