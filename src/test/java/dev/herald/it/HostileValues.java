package dev.herald.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Raw JSON fragments (bytes, not Java strings, so invalid UTF-8 survives) that the fuzzer
 * puts where a value, a key or a whole body belongs. Hosts are loopback or {@code .invalid}
 * only, and no value is the subscription pattern {@code *}: fuzzed webhooks must never
 * subscribe to fuzzed events (they would be delivered).
 */
final class HostileValues {

    static final int DEEP = 10_000;

    /** Invalid or suspicious UTF-8: lone bytes, overlong forms, surrogates encoded, beyond U+10FFFF, cut sequences. */
    static final byte[][] BAD_UTF8 = {
            bytes(0xFF), bytes(0xFE), bytes(0x80), bytes(0xBF),
            bytes(0xC0, 0x80), bytes(0xC1, 0xBF), bytes(0xE0, 0x80, 0x80), bytes(0xF0, 0x80, 0x80, 0x80),
            bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF), bytes(0xF4, 0x90, 0x80, 0x80),
            bytes(0xF8, 0x88, 0x80, 0x80, 0x80), bytes(0xE2, 0x82), bytes(0xF0, 0x9F, 0x98), bytes(0xC3),
            bytes(0x00), bytes(0x01), bytes(0x1B), bytes(0x7F), bytes(0xEF, 0xBB, 0xBF),
    };

    private static final String[] NUMBERS = {
            "1e999999", "-1e999999", "1e-999999", "1E400", "-0", "-0.0", "0.0000000000000000000001", "NaN",
            "-NaN", "Infinity", "-Infinity", "0x1F", "01", "1.", ".5", "+1", "1e", "--1", "9223372036854775808",
            "-9223372036854775809", "18446744073709551616", "4.9e-324", "1.7976931348623157e309", "123abc",
    };

    private static final String[] SCALARS = {
            "true", "false", "null", "0", "1", "-1", "3.14", "\"\"", "\" \"", "\"x\"", "[]", "{}", "[null]",
            "[1,2,3]", "[\"a\",1,true,null,{}]", "{\"a\":1}", "{\"\":\"\"}", "{\"a\":{\"b\":[]}}", "nul", "tru",
            "True", "NULL", "'single'", "undefined", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"",
            "\"\\udc00\\ud800\"", "\"x\\ud800y\"", "\"\\ud83d\\ude00\"", "\"\\uDBFF\\uDFFF\"", "\"\\u00\"", "\"\\x41\"",
            "\"\\q\"", "\"tab\\there\"", "\"line\\nbreak\\r\"", "\"\\\\\"", "\"\\\"\"", "\"\\/\"",
            "\"caf\u00e9 \u2713 \uD83D\uDE00\"", "\"\u202e\u200b\ufeff\"", "\"<script>alert(1)</script>\"",
            "\"' OR 1=1 --\"", "\"%s%n%x\"", "\"${jndi:ldap://127.0.0.1:9/x}\"", "\"{{herald.api.keys}}\"",
            "\"$simple{sys.user.home}\"",
    };

    /** Values that are the right type for some field but wrong in content. */
    private static final String[] STRINGS_BY_MEANING = {
            // times
            "\"2026-03-01T12:00:00Z\"", "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"",
            "\"+292278994-08-17T07:12:55.807Z\"", "\"2026-02-30T00:00:00Z\"", "\"2026-03-01\"", "\"12:00\"",
            "\"2026-03-01T12:00:00+99:00\"", "\"2026-03-01T25:61:61Z\"", "\"0000-01-01T00:00:00Z\"",
            // durations
            "\"0s\"", "\"1h\"", "\"25h\"", "\"-1s\"", "\"1.5s\"", "\"1 h\"", "\"s\"", "\"1y\"", "\"86400001ms\"",
            "\"1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h\"",
            // URLs (loopback or .invalid only)
            "\"http://127.0.0.1:9/fuzz\"", "\"https://hooks.example.invalid/fuzz?q=1\"", "\"http://127.0.0.1:99999/\"",
            "\"http://127.0.0.1:-1/\"", "\"http://[::1\"", "\"http://[::1]:9/x\"", "\"ftp://files.example.invalid/\"",
            "\"https://example.invalid/#frag\"", "\"http://%zz.invalid/\"", "\"http://a b.invalid/\"", "\"//example.invalid/x\"",
            "\"example.invalid\"", "\"http:///x\"", "\"http://user:pw@example.invalid/\"", "\"javascript:alert(1)\"",
            "\"file:///etc/passwd\"", "\"https://ex\u00e4mple.invalid/\u00e9\"", "\"http://127.0.0.1:9/\\u0000\"",
            // event types and patterns
            "\"fuzz.hook.created\"", "\"fuzz.hook.*\"", "\"fuzz..hook\"", "\".fuzz\"", "\"fuzz.\"", "\"fuzz.*.x\"",
            "\"**\"", "\"fuzz hook\"", "\"FUZZ.HOOK\"",
            // header names, schemes, encodings, formats, policies
            "\"X-Sig\"", "\"X Sig\"", "\"X-Sig:\"", "\"Content-Type\"", "\"host\"", "\"X-Webhook-Id\"", "\"webhook-signature\"",
            "\"hmac-sha256\"", "\"standard-webhooks\"", "\"timestamped\"", "\"HMAC-SHA256\"", "\"hex\"", "\"base64\"",
            "\"base32\"", "\"envelope\"", "\"event-payload\"", "\"Envelope\"", "\"standard\"", "\"quick\"", "\"nope\"",
            // secrets
            "\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"", "\"whsec_\"", "\"whsec_!!!!\"", "\"whsec_AAAA\"",
            "\"s3cret\\u0000\"", "\"s\u00e9cret\"",
            // ids
            "\"evt_1\"", "\"a/b\"", "\"../../etc\"", "\"hook_does_not_exist\"",
    };

    /** Values past what a field can mean (durations and times that overflow a long): 500s once. */
    private static final List<String> OVERFLOWING_DELAYS = List.of("\"99999999999999999999s\"",
            "\"9223372036854775807d\"", "\"9223372036854775807h\"", "\"9223372036854775807s9223372036854775807s\"");
    private static final Map<String, List<String>> OVERFLOWING = Map.of(
            "retry_schedule[]", OVERFLOWING_DELAYS,
            "grace_period", OVERFLOWING_DELAYS,
            "since", List.of("\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"",
                    "\"+292278994-08-17T07:12:55.808Z\""));

    private HostileValues() {
    }

    /** A value fragment for {@code field}, now and then one that overflows what the field means. */
    static byte[] valueFor(Random r, String field) {
        List<String> overflowing = OVERFLOWING.getOrDefault(field, List.of());
        if (!overflowing.isEmpty() && r.nextInt(5) == 0) {
            return ascii(overflowing.get(r.nextInt(overflowing.size())));
        }
        return value(r, field);
    }

    /** A value fragment, preferring ones that fit the field's meaning now and then. */
    private static byte[] value(Random r, String field) {
        int pick = r.nextInt(100);
        if (pick < 14) {
            return ascii(NUMBERS[r.nextInt(NUMBERS.length)]);
        }
        if (pick < 40) {
            return utf8(SCALARS[r.nextInt(SCALARS.length)]);
        }
        if (pick < 58) {
            return utf8(STRINGS_BY_MEANING[r.nextInt(STRINGS_BY_MEANING.length)]);
        }
        if (pick < 64) {
            return deepNesting(r, r.nextInt(4) == 0 ? 1001 : DEEP);
        }
        if (pick < 68) {
            return hugeNumber(r);
        }
        if (pick < 78) {
            return stringWith(r, BAD_UTF8[r.nextInt(BAD_UTF8.length)]);
        }
        if (pick < 84) {
            return longString(r);
        }
        if (pick < 90) {
            return manyItems(r, field);
        }
        if (pick < 95) {
            return stringWithRawControl(r);
        }
        return fieldSized(r, field);
    }

    /** 10,000 (or just over the 1000 limit) levels of arrays or objects, mixed at times, closed properly. */
    static byte[] deepNesting(Random r, int depth) {
        int kind = r.nextInt(3);
        StringBuilder open = new StringBuilder(depth * 6);
        StringBuilder close = new StringBuilder(depth);
        for (int i = 0; i < depth; i++) {
            boolean object = kind == 1 || kind == 2 && r.nextBoolean();
            open.append(object ? "{\"a\":" : "[");
            close.append(object ? '}' : ']');
        }
        return ascii(open + "1" + close.reverse());
    }

    /** 10,000 digits, or 1000-odd (around Jackson's number length limit), as integer, decimal or exponent. */
    static byte[] hugeNumber(Random r) {
        int digits = r.nextBoolean() ? 10_000 : 999 + r.nextInt(3);
        StringBuilder b = new StringBuilder(digits + 8);
        if (r.nextBoolean()) {
            b.append('-');
        }
        b.append("9".repeat(digits));
        switch (r.nextInt(4)) {
            case 0 -> b.insert(b.length() / 2, '.');
            case 1 -> b.append("e999999999");
            case 2 -> b.append("E-").append("9".repeat(50));
            default -> { }
        }
        return ascii(b.toString());
    }

    static byte[] stringWith(Random r, byte[] inside) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('"');
        out.writeBytes(ascii("ab".repeat(r.nextInt(3))));
        out.writeBytes(inside);
        out.writeBytes(ascii("cd".repeat(r.nextInt(3))));
        out.write('"');
        return out.toByteArray();
    }

    private static byte[] stringWithRawControl(Random r) {
        // Unescaped control characters inside a string are not JSON.
        return stringWith(r, bytes(r.nextInt(0x20)));
    }

    static byte[] longString(Random r) {
        int length = switch (r.nextInt(4)) {
            case 0 -> 201 + r.nextInt(3);
            case 1 -> 2049;
            case 2 -> 70_000;
            default -> 300_000;
        };
        String unit = r.nextBoolean() ? "a" : "\u00e9";
        return utf8("\"" + unit.repeat(length) + "\"");
    }

    /** Long lists and big objects: many events patterns, retry delays, headers, batch-sized arrays. */
    private static byte[] manyItems(Random r, String field) {
        int n = switch (r.nextInt(4)) {
            case 0 -> 21;
            case 1 -> 51;
            case 2 -> 1001;
            default -> 5000;
        };
        List<String> items = new ArrayList<>(n);
        boolean object = "headers".equals(field) || "data".equals(field) || r.nextInt(4) == 0;
        for (int i = 0; i < n; i++) {
            String item = switch (r.nextInt(3)) {
                case 0 -> "\"fuzz.hook.t" + i + "\"";
                case 1 -> "\"" + "x".repeat(100) + i + "\"";
                default -> "\"" + (i % 24) + "h\"";
            };
            items.add(object ? "\"X-H" + i + "\":" + item : item);
        }
        String body = String.join(",", items);
        return ascii(object ? "{" + body + "}" : "[" + body + "]");
    }

    /** Values right at and just past the limits of the field they replace. */
    private static byte[] fieldSized(Random r, String field) {
        String word = "w".repeat(199) + ".";
        return switch (field) {
            case "events[]", "type" -> ascii("\"" + (r.nextBoolean() ? "t".repeat(200) : word + "w".repeat(r.nextInt(3)))
                    + (r.nextBoolean() ? ".*" : "") + "\"");
            case "events" -> ascii("[\"" + "p".repeat(200) + ".*\"]");
            case "retry_schedule[]", "grace_period" -> ascii(List.of("\"24h\"", "\"1441m\"", "\"86400000ms\"",
                    "\"86400001ms\"", "\"0ms\"").get(r.nextInt(5)));
            case "created_at", "since" -> ascii(r.nextBoolean() ? "\"+292278994-08-17T07:12:55.807Z\"" : "\"+292278994-08-17T07:12:55.808Z\"");
            case "headers" -> ascii("{\"X-A\":\"" + "v".repeat(4096) + "\",\"X-B\":\"" + "v".repeat(4096 + r.nextInt(2)) + "\"}");
            case "id" -> ascii("\"" + "i".repeat(100 + r.nextInt(2)) + "\"");
            case "name" -> utf8("\"" + "\uD83D\uDE00".repeat(100 + r.nextInt(2)) + "\"");
            case "description" -> utf8("\"" + "\uD83D\uDE00".repeat(1000 + r.nextInt(2)) + "\"");
            case "secret" -> ascii("\"" + "s".repeat(256 + r.nextInt(2)) + "\"");
            case "header", "event_type_header" -> ascii("\"X-" + "h".repeat(97 + r.nextInt(3)) + "\"");
            case "prefix" -> ascii("\"" + "p".repeat(50 + r.nextInt(2)) + "\"");
            default -> ascii("\"" + "z".repeat(1 + r.nextInt(300)) + "\"");
        };
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
