package dev.herald.subscription;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;
import dev.herald.store.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A webhook's ordered delivery ({@code ordering: {mode: "fifo", key?, on_exhausted?}}): its deliveries
 * with the same key go out one at a time in the order Herald accepted their events. {@code keyPath}
 * is a dotted path into the event envelope ({@code data.account_id}, {@code type}); null puts every
 * delivery of the webhook in one line. {@code onExhausted} says what a delivery that failed for good
 * does to the ones behind it.
 */
public record Ordering(String keyPath, OnExhausted onExhausted) {

    /** The fields of the {@code ordering} object (OpenApiInputsTest holds the document to them). */
    public static final Set<String> FIELDS = Set.of("mode", "key", "on_exhausted");
    public static final String FIFO = "fifo";

    /** What a failed-for-good head does: the next one goes ({@code skip}), or the key waits for a retry or skip ({@code block}). */
    public enum OnExhausted {
        SKIP, BLOCK;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The key column holds 200 characters; a longer value is kept as its SHA-256. */
    public static final int MAX_KEY = 200;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final int MAX_PATH = 200;
    private static final int MAX_SEGMENTS = 10;

    public Ordering {
        if (onExhausted == null) {
            onExhausted = OnExhausted.SKIP;
        }
    }

    /** The request's {@code ordering}; null for JSON null (no ordering). Bad input: 400 naming {@code ordering.<field>}. */
    public static Ordering fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw HeraldException.invalid("ordering", "ordering must be an object {\"mode\":\"fifo\", \"key\"?: \"data.<path>\","
                    + " \"on_exhausted\"?: \"skip\" | \"block\"} or null");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw HeraldException.invalid("ordering." + f, "unknown field \"" + Excerpt.of(f) + "\" in ordering");
            }
        }
        JsonNode mode = node.get("mode");
        if (mode == null || !FIFO.equals(mode.isTextual() ? mode.asText() : null)) {
            throw HeraldException.invalid("ordering.mode", "ordering.mode is required and must be \"fifo\"");
        }
        String key = null;
        JsonNode k = node.get("key");
        if (k != null && !k.isNull()) {
            if (!k.isTextual() || !validPath(k.asText())) {
                throw HeraldException.invalid("ordering.key", "ordering.key must be a dotted path into the event,"
                        + " \"type\" or starting with \"data.\" (e.g. data.account_id): letters, digits, '_' or '-' per"
                        + " segment, at most " + MAX_SEGMENTS + " segments and " + MAX_PATH + " characters");
            }
            key = k.asText();
        }
        OnExhausted onExhausted = OnExhausted.SKIP;
        JsonNode o = node.get("on_exhausted");
        if (o != null && !o.isNull()) {
            String v = o.isTextual() ? o.asText() : "";
            if (v.equals("skip")) {
                onExhausted = OnExhausted.SKIP;
            } else if (v.equals("block")) {
                onExhausted = OnExhausted.BLOCK;
            } else {
                throw HeraldException.invalid("ordering.on_exhausted", "ordering.on_exhausted must be \"skip\" or \"block\"");
            }
        }
        return new Ordering(key, onExhausted);
    }

    private static boolean validPath(String path) {
        if (path.length() > MAX_PATH) {
            return false;
        }
        String[] parts = path.split("\\.", -1);
        if (parts.length > MAX_SEGMENTS) {
            return false;
        }
        for (String p : parts) {
            if (!SEGMENT.matcher(p).matches()) {
                return false;
            }
        }
        return path.equals("type") || (parts[0].equals("data") && parts.length > 1);
    }

    /** As the API shows it. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", FIFO);
        m.put("key", keyPath);
        m.put("on_exhausted", onExhausted.json());
        return m;
    }

    /** The column's JSON. */
    public String toStored() {
        return Json.write(toJson());
    }

    /** The column's JSON read back; null for none. */
    public static Ordering fromStored(String json) {
        if (json == null) {
            return null;
        }
        JsonNode n = Json.tree(json);
        JsonNode key = n.get("key");
        return new Ordering(key == null || key.isNull() ? null : key.asText(),
                "block".equals(n.path("on_exhausted").asText()) ? OnExhausted.BLOCK : OnExhausted.SKIP);
    }

    /** Same line of deliveries: the mode and key path (on_exhausted may change without touching the lines). */
    public boolean sameLines(Ordering other) {
        return other != null && java.util.Objects.equals(keyPath, other.keyPath);
    }

    /**
     * The key of an event ({@code data} its compact JSON): the value at the path, a string as it is,
     * a number or boolean as JSON writes it, an object or array as compact JSON. A path the event
     * does not have, or a JSON null there, is the empty key: all such events share one line.
     */
    public String keyOf(String type, String data) {
        if (keyPath == null) {
            return "";
        }
        if (keyPath.equals("type")) {
            return fit(type);
        }
        List<String> parts = List.of(keyPath.split("\\."));
        JsonNode node = Json.tree(data);
        for (String p : parts.subList(1, parts.size())) {
            node = node == null ? null : node.get(p);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        return fit(node.isValueNode() ? node.asText() : node.toString());
    }

    private static String fit(String key) {
        if (key.length() <= MAX_KEY) {
            return key;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
