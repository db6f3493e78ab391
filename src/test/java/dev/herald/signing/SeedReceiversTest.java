package dev.herald.signing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each seed's receiver snippet (/work/shared/seeds/*.txt) transcribed to Java with its exact
 * logic (header, prefix, hex/base64, comparison), fed what the dialect configured per DESIGN.md's
 * table produces. Headers are looked up case-insensitively, as Express (lowercased
 * {@code req.headers}), Flask and PHP do.
 */
class SeedReceiversTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A seed's receiver: does it accept this request (headers + raw body) given its secret? */
    interface Receiver {
        boolean accepts(Map<String, String> headers, byte[] rawBody, String secret);
    }

    // A typical Herald body: compact JSON, as the seeds' own payload examples.
    private static final byte[] BODY = ("{\"id\":\"evt_abc123\",\"type\":\"project.created\","
            + "\"created_at\":\"2026-03-01T12:00:00Z\",\"data\":{\"id\":\"proj_xyz789\",\"name\":\"New Project\","
            + "\"status\":\"active\",\"tags\":[\"a/b\",\"caf\u00e9 \u2603 \ud83d\ude80\"],\"n\":-42,\"ok\":true,"
            + "\"none\":null,\"quote\":\"say \\\"hi\\\"\\n\\ttab\\\\\"}}").getBytes(UTF_8);

    // --- seed 000 (Ajrly): X-Ajrly-Signature: sha256=<hex> -------------------------------------

    /** Node: timingSafeEqual(Buffer.from(signature), Buffer.from(`sha256=${expected}`)). */
    static final Receiver AJRLY_NODE = (headers, body, secret) -> {
        String signature = header(headers, "x-ajrly-signature");
        String expected = hex(hmac(secret, body));
        return nodeTimingSafeEqual(utf8(signature), utf8("sha256=" + expected));
    };

    /** Python: hmac.compare_digest(signature, f"sha256={expected}"). */
    static final Receiver AJRLY_PYTHON = (headers, body, secret) -> {
        String signature = header(headers, "X-Ajrly-Signature");
        String expected = hex(hmac(secret, body));
        return compareDigest(signature, "sha256=" + expected);
    };

    @Test
    void seed000Ajrly() {
        assertReceiverAcceptsOnlyGenuine("{\"header\":\"X-Ajrly-Signature\",\"prefix\":\"sha256=\"}",
                "whsec_your_signing_secret", AJRLY_NODE, AJRLY_PYTHON);
    }

    // --- seed 001 (AIRMY): X-AIRMY-Signature: <hex> ---------------------------------------------

    /** Python: hmac.compare_digest(expected, signature). */
    static final Receiver AIRMY_PYTHON = (headers, body, secret) ->
            compareDigest(hex(hmac(secret, body)), header(headers, "X-AIRMY-Signature"));

    /** Node: timingSafeEqual(Buffer.from(expected), Buffer.from(signature)). */
    static final Receiver AIRMY_NODE = (headers, body, secret) ->
            nodeTimingSafeEqual(utf8(hex(hmac(secret, body))), utf8(header(headers, "x-airmy-signature")));

    /** Go: hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(sig)). */
    static final Receiver AIRMY_GO = (headers, body, secret) ->
            MessageDigest.isEqual(utf8(hex(hmac(secret, body))), utf8(header(headers, "X-Airmy-Signature")));

    @Test
    void seed001Airmy() {
        assertReceiverAcceptsOnlyGenuine("{\"header\":\"X-AIRMY-Signature\"}", "whsec_airmy_secret",
                AIRMY_PYTHON, AIRMY_NODE, AIRMY_GO);
    }

    // --- seed 002: X-Webhook-Signature: <hex>, Express variant re-serialises the body -----------

    /**
     * Express: payload = JSON.stringify(req.body) (the parsed body, not the raw bytes), then
     * timingSafeEqual(Buffer.from(signature), Buffer.from(hmac)).
     */
    static final Receiver SEED002_EXPRESS = (headers, body, secret) -> {
        String signature = header(headers, "x-webhook-signature");
        String payload = jsonStringify(parse(body));
        String expected = hex(hmac(secret, utf8(payload)));
        return nodeTimingSafeEqual(utf8(signature), utf8(expected));
    };

    /** Flask: request.get_data() (raw), hmac.compare_digest(signature, expected). */
    static final Receiver SEED002_FLASK = (headers, body, secret) ->
            compareDigest(header(headers, "X-Webhook-Signature"), hex(hmac(secret, body)));

    @Test
    void seed002Generic() {
        assertReceiverAcceptsOnlyGenuine("{}", "whsec_abc123", SEED002_EXPRESS, SEED002_FLASK);
        assertReceiverAcceptsOnlyGenuine(null, Secrets.generate(), SEED002_EXPRESS, SEED002_FLASK);
    }

    @Test
    void seed002ExpressNeedsCompactJson() throws Exception {
        // Compact JSON survives JSON.parse + JSON.stringify, provided Jackson writes astral
        // characters (emoji) raw as JS does: its UTF-8 byte writer escapes them as \uD83D\uDE80
        // unless COMBINE_UNICODE_SURROGATES_IN_UTF8 is on (writeValueAsString does not escape them).
        ObjectMapper herald = JsonMapper.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
        byte[] compact = herald.writeValueAsBytes(parse(BODY));
        assertThat(new String(compact, UTF_8)).isEqualTo(new String(BODY, UTF_8));
        assertThat(MAPPER.writeValueAsString(parse(BODY)).getBytes(UTF_8)).isEqualTo(BODY);
        Map<String, String> compactHeaders = sign(SignatureSpec.defaults(), compact, "whsec_abc123");
        assertThat(SEED002_EXPRESS.accepts(compactHeaders, compact, "whsec_abc123")).isTrue();
        byte[] escaped = new String(BODY, UTF_8).replace("\ud83d\ude80", "\\uD83D\\uDE80").getBytes(UTF_8);
        Map<String, String> escapedHeaders = sign(SignatureSpec.defaults(), escaped, "whsec_abc123");
        assertThat(SEED002_EXPRESS.accepts(escapedHeaders, escaped, "whsec_abc123")).isFalse();
        // ...whereas a pretty-printed body would be re-serialised differently and rejected.
        byte[] pretty = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(parse(BODY));
        Map<String, String> headers = sign(SignatureSpec.defaults(), pretty, "whsec_abc123");
        assertThat(SEED002_FLASK.accepts(headers, pretty, "whsec_abc123")).isTrue();
        assertThat(SEED002_EXPRESS.accepts(headers, pretty, "whsec_abc123")).isFalse();
    }

    // --- seed 003 (Axoria): X-Axoria-Signature: sha256=<base64> ---------------------------------

    /** Python: "sha256=" + base64.b64encode(mac.digest()).decode(); compare_digest(expected, signature). */
    static final Receiver AXORIA_PYTHON = (headers, body, secret) -> compareDigest(
            "sha256=" + Base64.getEncoder().encodeToString(hmac(secret, body)), header(headers, "X-Axoria-Signature"));

    /** Node: 'sha256=' + hmac.digest('base64'); timingSafeEqual(Buffer.from(expected), Buffer.from(signature)). */
    static final Receiver AXORIA_NODE = (headers, body, secret) -> nodeTimingSafeEqual(
            utf8("sha256=" + Base64.getEncoder().encodeToString(hmac(secret, body))),
            utf8(header(headers, "x-axoria-signature")));

    @Test
    void seed003Axoria() {
        assertReceiverAcceptsOnlyGenuine(
                "{\"header\":\"X-Axoria-Signature\",\"prefix\":\"sha256=\",\"encoding\":\"base64\"}",
                "axoria secret", AXORIA_PYTHON, AXORIA_NODE);
    }

    // --- seed 004 (Aryeo): Signature: <hex> ------------------------------------------------------

    /** PHP: $signature = hash_hmac('sha256', $payloadJson, $secret); compared with hash_equals. */
    static final Receiver ARYEO_PHP = (headers, body, secret) -> {
        String computed = hex(hmac(secret, body)); // hash_hmac returns lowercase hex by default
        return MessageDigest.isEqual(utf8(computed), utf8(header(headers, "Signature")));
    };

    @Test
    void seed004Aryeo() {
        assertReceiverAcceptsOnlyGenuine("{\"header\":\"Signature\"}", "any arbitrary string", ARYEO_PHP);
    }

    // --- shared checks ----------------------------------------------------------------------------

    private static void assertReceiverAcceptsOnlyGenuine(String specJson, String secret, Receiver... receivers) {
        SignatureSpec spec = SignatureSpec.fromJson(specJson == null ? null : SignatureVectorsTest.json(specJson));
        spec.validateSecret(secret);
        Map<String, String> headers = sign(spec, BODY, secret);

        byte[] tampered = new String(BODY, UTF_8).replace("New Project", "Evil Project").getBytes(UTF_8);
        // A rotation keeps single-value headers on the current secret: receivers still on the
        // previous secret fail until they are updated, which is why these dialects sign once.
        Map<String, String> rotated = sign(spec, BODY, secret, "old-" + secret);

        for (Receiver receiver : receivers) {
            assertThat(receiver.accepts(headers, BODY, secret)).as("genuine delivery").isTrue();
            assertThat(receiver.accepts(rotated, BODY, secret)).as("current secret after rotation").isTrue();
            assertThat(receiver.accepts(headers, tampered, secret)).as("tampered body").isFalse();
            assertThat(receiver.accepts(headers, BODY, secret + "x")).as("wrong secret").isFalse();
        }
    }

    private static Map<String, String> sign(SignatureSpec spec, byte[] body, String... secrets) {
        Map<String, String> headers = spec.dialect().sign(new SigningInput(body, "msg_1", 1772366400L, List.of(secrets)));
        assertThat(headers).hasSize(1);
        return headers;
    }

    /** Case-insensitive lookup, as HTTP servers do; missing header = receiver rejects (null). */
    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    // --- independent primitives (no production code) ----------------------------------------------

    /** Node/Python/Go/PHP all key the HMAC with the secret string's UTF-8 bytes. */
    private static byte[] hmac(String secret, byte[] body) {
        return SignatureVectorsTest.hmac(utf8(secret), body);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(UTF_8);
    }

    /** crypto.timingSafeEqual throws on a length mismatch; the request then fails, i.e. is rejected. */
    private static boolean nodeTimingSafeEqual(byte[] a, byte[] b) {
        if (a == null || b == null || a.length != b.length) {
            return false;
        }
        return MessageDigest.isEqual(a, b);
    }

    /** hmac.compare_digest on two str: ASCII only, else TypeError (rejected). */
    private static boolean compareDigest(String a, String b) {
        if (a == null || b == null || !a.chars().allMatch(c -> c < 128) || !b.chars().allMatch(c -> c < 128)) {
            return false;
        }
        return MessageDigest.isEqual(utf8(a), utf8(b));
    }

    private static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * JavaScript's JSON.stringify for what JSON.parse yields from ordinary payloads: objects keep
     * key order, strings escape only {@code " \\} and control chars (short forms, else lowercase
     * {@code \\u00xx}) and lone surrogates, integers print as is. Non-integral numbers are outside
     * "ordinary" here (JS's number formatting differs from Java's) and fail the test loudly.
     */
    static String jsonStringify(JsonNode node) {
        StringBuilder out = new StringBuilder();
        stringify(node, out);
        return out.toString();
    }

    private static void stringify(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            out.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(e.getKey(), out);
                out.append(':');
                stringify(e.getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                stringify(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            quote(node.textValue(), out);
        } else if (node.isIntegralNumber() && node.canConvertToExactIntegral()
                && Math.abs(node.asDouble()) <= 9007199254740991d) {
            out.append(node.bigIntegerValue());
        } else if (node.isBoolean() || node.isNull()) {
            out.append(node.asText());
        } else {
            throw new AssertionError("not an ordinary payload value for this emulation: " + node);
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean loneSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
                            && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)));
                    if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
                        loneSurrogate = false;
                    }
                    if (c < 0x20 || loneSurrogate) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
