package dev.herald.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.herald.it.HostileValues.ascii;
import static dev.herald.it.HostileValues.bytes;

/**
 * Mutates a valid body. Structural mutations put a placeholder string where a value or a key
 * goes, serialise, then splice raw bytes over the placeholder: that way a fragment can be
 * anything (10,000 levels deep, invalid UTF-8, not JSON at all), which no JSON writer would emit.
 */
final class Mutations {

    record Result(byte[] body, String description) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALUE_MARK = "@@FUZZ_VALUE_";
    private static final String KEY_MARK = "@@FUZZ_KEY@@";

    /** A place in the tree: a field of an object or an element of an array. */
    private record Slot(JsonNode parent, String key, int index, String path) {
        String field() {
            return key != null ? key : pathParentName() + "[]";
        }

        private String pathParentName() {
            String p = path.substring(0, path.lastIndexOf('['));
            return p.substring(p.lastIndexOf('.') + 1);
        }
    }

    private Mutations() {
    }

    static Result apply(Random r, JsonNode base) {
        int m = r.nextInt(100);
        if (m < 6) {
            return new Result(write(base), "none (valid body)");
        }
        if (m < 50) {
            return replaceValues(r, base);
        }
        if (m < 57) {
            return replaceKey(r, base);
        }
        if (m < 72) {
            Result source = r.nextBoolean() ? new Result(write(base), "") : replaceValues(r, base);
            return truncate(r, source);
        }
        if (m < 85) {
            return byteLevel(r, write(base));
        }
        return WholeBodies.pick(r);
    }

    /** One or two values replaced by hostile fragments (wrong types, depth, numbers, bad bytes). */
    private static Result replaceValues(Random r, JsonNode base) {
        JsonNode tree = base.deepCopy();
        List<Slot> slots = new ArrayList<>();
        collect(tree, "$", slots);
        int n = r.nextInt(4) == 0 ? 2 : 1;
        List<byte[]> fragments = new ArrayList<>();
        StringBuilder what = new StringBuilder("replace");
        for (int i = 0; i < n && !slots.isEmpty(); i++) {
            Slot s = slots.remove(r.nextInt(slots.size()));
            // A second slot inside or around the first would lose a placeholder.
            slots.removeIf(o -> o.path().startsWith(s.path()) || s.path().startsWith(o.path()));
            byte[] fragment = HostileValues.valueFor(r, s.field());
            set(s, new TextNode(VALUE_MARK + i + "@@"));
            fragments.add(fragment);
            what.append(' ').append(s.path()).append(" with ").append(preview(fragment));
        }
        byte[] body = write(tree);
        for (int i = 0; i < fragments.size(); i++) {
            body = splice(body, ascii("\"" + VALUE_MARK + i + "@@\""), fragments.get(i));
        }
        return new Result(body, what.toString());
    }

    /** A key made invalid, duplicated, unknown, too long or not a string. */
    private static Result replaceKey(Random r, JsonNode base) {
        JsonNode tree = base.deepCopy();
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(tree, objects);
        ObjectNode target = objects.get(r.nextInt(objects.size()));
        List<String> keys = new ArrayList<>();
        target.fieldNames().forEachRemaining(keys::add);
        String key = keys.isEmpty() ? "x" : keys.get(r.nextInt(keys.size()));
        byte[] fragment = switch (r.nextInt(9)) {
            case 0 -> concat(ascii("\"" + key + "\":"), HostileValues.valueFor(r, key), ascii(",\"" + key + "\""));
            case 1 -> HostileValues.stringWith(r, HostileValues.BAD_UTF8[r.nextInt(HostileValues.BAD_UTF8.length)]);
            case 2 -> ascii("\"" + key + "\\u0000\"");
            case 3 -> ascii("\"\"");
            case 4 -> ascii(key);
            case 5 -> ascii("'" + key + "'");
            case 6 -> ascii("\"" + "k".repeat(r.nextBoolean() ? 60_000 : 300) + "\"");
            case 7 -> ascii("\"" + key.toUpperCase() + "\"");
            default -> ascii(r.nextBoolean() ? "1" : "null");
        };
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        target.fields().forEachRemaining(e -> copy.put(e.getKey(), e.getValue()));
        target.removeAll();
        if (keys.isEmpty()) {
            target.put(KEY_MARK, 1);
        }
        copy.forEach((k, v) -> target.set(k.equals(key) ? KEY_MARK : k, v));
        byte[] body = splice(write(tree), ascii("\"" + KEY_MARK + "\""), fragment);
        return new Result(body, "key " + key + " as " + preview(fragment));
    }

    /** Cut at every kind of position: after a structural character, in an escape, a number, a UTF-8 sequence. */
    private static Result truncate(Random r, Result source) {
        byte[] b = source.body();
        if (b.length < 2) {
            return new Result(new byte[0], "truncated to nothing");
        }
        int at = switch (r.nextInt(8)) {
            case 0 -> after(b, r, "{[");
            case 1 -> after(b, r, ":,");
            case 2 -> after(b, r, "\"");
            case 3 -> after(b, r, "\\") + r.nextInt(4);
            case 4 -> after(b, r, "0123456789.eE-");
            case 5 -> firstMultiByte(b) + 1 + r.nextInt(2);
            case 6 -> b.length - 1;
            default -> 1 + r.nextInt(b.length - 1);
        };
        at = Math.max(1, Math.min(at, b.length - 1));
        byte[] cut = java.util.Arrays.copyOf(b, at);
        return new Result(cut, "truncated at " + at + "/" + b.length + (source.description().isEmpty() ? "" : " after " + source.description()));
    }

    /** Raw byte damage: invalid UTF-8 inserted, bytes overwritten or dropped, trailing data, BOMs, other encodings. */
    private static Result byteLevel(Random r, byte[] b) {
        int at = r.nextInt(b.length + 1);
        return switch (r.nextInt(9)) {
            case 0, 1 -> {
                byte[] bad = HostileValues.BAD_UTF8[r.nextInt(HostileValues.BAD_UTF8.length)];
                yield new Result(concat(slice(b, 0, at), bad, slice(b, at, b.length)), "inserted " + preview(bad) + " at " + at);
            }
            case 2 -> {
                byte[] c = b.clone();
                int i = Math.min(at, b.length - 1);
                c[i] = (byte) r.nextInt(256);
                yield new Result(c, "byte " + i + " set to " + (c[i] & 0xFF));
            }
            case 3 -> new Result(concat(slice(b, 0, Math.min(at, b.length - 1)), slice(b, Math.min(at, b.length - 1) + 1, b.length)), "byte " + at + " dropped");
            case 4 -> new Result(concat(b, r.nextBoolean() ? b : ascii(" x")), "trailing data");
            case 5 -> new Result(concat(bytes(0xEF, 0xBB, 0xBF), b), "UTF-8 BOM");
            case 6 -> new Result(concat(bytes(0xFE, 0xFF), new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16BE)), "UTF-16BE with BOM");
            case 7 -> new Result(new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE), "UTF-16LE without BOM");
            default -> new Result(concat(slice(b, 0, at), bytes(0), slice(b, at, b.length)), "NUL at " + at);
        };
    }

    private static void collect(JsonNode node, String path, List<Slot> out) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path + "." + e.getKey();
                out.add(new Slot(o, e.getKey(), -1, p));
                collect(e.getValue(), p, out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(a, null, i, path + "[" + i + "]"));
                collect(a.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode o) {
            out.add(o);
        }
        node.forEach(child -> collectObjects(child, out));
    }

    private static void set(Slot s, JsonNode value) {
        if (s.parent() instanceof ObjectNode o) {
            o.set(s.key(), value);
        } else {
            ((ArrayNode) s.parent()).set(s.index(), value);
        }
    }

    private static int after(byte[] b, Random r, String chars) {
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            if (chars.indexOf(b[i]) >= 0) {
                hits.add(i + 1);
            }
        }
        return hits.isEmpty() ? b.length / 2 : hits.get(r.nextInt(hits.size()));
    }

    private static int firstMultiByte(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if ((b[i] & 0x80) != 0) {
                return i;
            }
        }
        return b.length / 2;
    }

    static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] splice(byte[] body, byte[] mark, byte[] replacement) {
        int at = indexOf(body, mark);
        if (at < 0) {
            throw new IllegalStateException("placeholder not found");
        }
        return concat(slice(body, 0, at), replacement, slice(body, at + mark.length, body.length));
    }

    private static int indexOf(byte[] body, byte[] mark) {
        outer:
        for (int i = 0; i <= body.length - mark.length; i++) {
            for (int j = 0; j < mark.length; j++) {
                if (body[i + j] != mark[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    /** The first bytes of a fragment, non-ASCII as \xNN, for the case description. */
    static String preview(byte[] b) {
        return preview(b, 40);
    }

    /** The first {@code max} bytes, printable ASCII as is, every other byte as \xNN. */
    static String preview(byte[] b, int max) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, max); i++) {
            int c = b[i] & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02X", c));
        }
        return b.length > max ? s + "...(" + b.length + " bytes)" : s.toString();
    }
}
