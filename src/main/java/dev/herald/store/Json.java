package dev.herald.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One shared Jackson mapper: compact output, strict input (no duplicate keys, no trailing tokens). */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** The parser's limits (Jackson defaults: depth 1000, numbers of 1000 digits), quoted in error messages. */
    private static final StreamReadConstraints LIMITS = MAPPER.getFactory().streamReadConstraints();

    private Json() {
    }

    /**
     * Parses a request body; malformed or truncated JSON becomes a 400 {@code invalid_json}
     * that says where (line, column) and what, in words a client can act on: Jackson's own
     * messages name its classes and features, which mean nothing to a caller. Null for an empty body.
     */
    public static JsonNode readBody(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            int bad = looksUtf8(body) ? malformedAt(body) : -1;
            if (bad >= 0) {
                // Jackson decodes these silently (C0 80 as NUL, ED A0 80 as a lone surrogate) and they
                // would be delivered as '?': refuse them instead, as RFC 8259 wants UTF-8 text.
                throw new dev.herald.error.HeraldException(400, "invalid_json", "the body is not valid JSON: byte "
                        + bad + " starts a malformed UTF-8 sequence (overlong, a surrogate, beyond U+10FFFF)"
                        + " or a \\u escape of half a surrogate pair", null);
            }
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new dev.herald.error.HeraldException(400, "invalid_json", "the body is not valid JSON" + where + ": "
                    + problem(e), null);
        } catch (java.io.IOException e) {
            // Bytes that are not text in the encoding Jackson detected (UTF-8, UTF-16 or UTF-32).
            throw new dev.herald.error.HeraldException(400, "invalid_json", "the body cannot be read as UTF-8 JSON text", null);
        }
    }

    /** What is wrong, without Jackson's class names, feature names or source excerpts. */
    static String problem(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            // The limits of StreamReadConstraints: refused here, before anything is built from the body.
            if (m.startsWith("Document nesting depth")) {
                return "it is nested deeper than " + LIMITS.getMaxNestingDepth() + " levels of arrays and objects";
            }
            if (m.startsWith("Number value length")) {
                return "a number has more than " + LIMITS.getMaxNumberLength() + " digits";
            }
            if (m.startsWith("String value length")) {
                return "a string is longer than " + LIMITS.getMaxStringLength() + " characters";
            }
            if (m.startsWith("Name length")) {
                return "a field name is longer than " + LIMITS.getMaxNameLength() + " characters";
            }
            return "it exceeds a parser limit";
        }
        if (m.startsWith("Trailing token")) {
            return "there is more after the JSON value; send exactly one object or array";
        }
        if (m.startsWith("Non-standard token")) {
            // NaN, Infinity: JSON has no such numbers.
            int colon = m.indexOf(':');
            return "not a JSON value:" + m.substring("Non-standard token".length(), colon > 0 ? colon : m.length());
        }
        // "... (for Array starting at [Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 9])"
        int source = m.indexOf("[Source:");
        if (source >= 0) {
            int open = m.lastIndexOf(" (", source);
            m = m.substring(0, open >= 0 ? open : source);
        }
        int feature = m.indexOf('`');
        if (feature >= 0) {
            m = m.substring(0, feature).replaceAll("[;:,\\s]+$", "");
        }
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    /** False when Jackson read the body as UTF-16 or UTF-32 (a NUL among the first bytes, or their BOM). */
    private static boolean looksUtf8(byte[] b) {
        for (int i = 0; i < Math.min(4, b.length); i++) {
            if (b[i] == 0) {
                return false;
            }
        }
        return b.length < 2 || !((b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF || (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE);
    }

    /**
     * Index of the first byte that is not well-formed UTF-8 (Unicode table 3-7) or starts a
     * backslash-u escape of an unpaired surrogate; -1 when there is none. No allocation.
     */
    static int malformedAt(byte[] b) {
        int n = b.length;
        int i = 0;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c == '\\') {
                int u = i + 1 < n && b[i + 1] == 'u' ? hex4(b, i + 2) : -1;
                if (u >= 0xD800 && u <= 0xDBFF) {
                    int low = i + 7 < n && b[i + 6] == '\\' && b[i + 7] == 'u' ? hex4(b, i + 8) : -1;
                    if (low < 0xDC00 || low > 0xDFFF) {
                        return i;
                    }
                    i += 12;
                } else if (u >= 0xDC00 && u <= 0xDFFF) {
                    return i;
                } else {
                    i += u >= 0 ? 6 : 2;
                }
                continue;
            }
            if (c < 0x80) {
                i++;
                continue;
            }
            int length;
            int min = 0x80;
            int max = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                length = 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                length = 3;
                min = c == 0xE0 ? 0xA0 : min;
                max = c == 0xED ? 0x9F : max;
            } else if (c >= 0xF0 && c <= 0xF4) {
                length = 4;
                min = c == 0xF0 ? 0x90 : min;
                max = c == 0xF4 ? 0x8F : max;
            } else {
                return i;
            }
            if (i + length > n || (b[i + 1] & 0xFF) < min || (b[i + 1] & 0xFF) > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }

    private static int hex4(byte[] b, int from) {
        if (from + 4 > b.length) {
            return -1;
        }
        int v = 0;
        for (int k = from; k < from + 4; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    public static Map<String, String> stringMap(String json) {
        if (json == null || json.isEmpty()) {
            return new LinkedHashMap<>();
        }
        try {
            return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    public static List<String> stringList(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
