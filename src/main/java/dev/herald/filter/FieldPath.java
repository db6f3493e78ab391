package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Where a condition looks in the event: object keys from the root; a segment of digits also
 * indexes an array ({@code data.items.0.sku}).
 */
public record FieldPath(List<String> segments) {

    public FieldPath {
        segments = List.copyOf(segments);
    }

    /** The value there, or null when the event has none (a JSON null is a value: NullNode). */
    public JsonNode resolve(JsonNode root) {
        JsonNode at = root;
        for (String s : segments) {
            if (at == null) {
                return null;
            }
            if (at.isObject()) {
                at = at.get(s);
            } else if (at.isArray() && isIndex(s)) {
                at = at.get(Integer.parseInt(s));
            } else {
                return null;
            }
        }
        return at;
    }

    private static boolean isIndex(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
