package dev.herald.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * The signature dialect a webhook chose (its {@code signature} object). Absent fields take the
 * scheme's defaults; fields the scheme does not use are rejected rather than silently ignored,
 * so {@code header}, {@code prefix} and {@code encoding} are null when not applicable:
 * <ul>
 *   <li>{@code hmac-sha256}: header (default {@code X-Webhook-Signature}), prefix (default ""),
 *       encoding {@code hex} (default) or {@code base64};</li>
 *   <li>{@code timestamped}: header (default {@code X-Webhook-Signature});</li>
 *   <li>{@code standard-webhooks}: nothing configurable;</li>
 *   <li>{@code standard-webhooks-ed25519}: nothing configurable; its secret is a key pair Herald
 *       generates ({@link Ed25519Keys}), never one the API is given.</li>
 * </ul>
 * Invalid values throw {@link HeraldException#invalid} naming the field ({@code signature.*}).
 * The header and prefix taken from the API ({@link #fromJson}) also follow {@link HeaderRules},
 * like every header a webhook adds: no {@code Camel*}, reserved or hop-by-hop name, no {@code {{}.
 */
public record SignatureSpec(String scheme, String header, String prefix, String encoding) {

    public static final String HMAC_SHA256 = "hmac-sha256";
    public static final String STANDARD_WEBHOOKS = "standard-webhooks";
    public static final String TIMESTAMPED = "timestamped";
    public static final String STANDARD_WEBHOOKS_ED25519 = "standard-webhooks-ed25519";
    public static final String DEFAULT_HEADER = "X-Webhook-Signature";

    private static final List<String> FIELDS = List.of("scheme", "header", "prefix", "encoding");
    private static final int MAX_PREFIX = 50;
    private static final int MAX_SECRET = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    public SignatureSpec {
        if (scheme == null) {
            scheme = HMAC_SHA256;
        }
        switch (scheme) {
            case HMAC_SHA256 -> {
                header = checkHeader(header == null ? DEFAULT_HEADER : header);
                prefix = checkPrefix(prefix == null ? "" : prefix);
                encoding = checkEncoding(encoding == null ? "hex" : encoding);
            }
            case TIMESTAMPED -> {
                header = checkHeader(header == null ? DEFAULT_HEADER : header);
                rejectIfSet(scheme, "prefix", prefix, "its value is always t=<unix>,v1=<hex>");
                rejectIfSet(scheme, "encoding", encoding, "its signatures are always hex");
            }
            case STANDARD_WEBHOOKS, STANDARD_WEBHOOKS_ED25519 -> {
                String why = "it always sends webhook-id, webhook-timestamp and webhook-signature: "
                        + (scheme.equals(STANDARD_WEBHOOKS) ? "v1" : "v1a") + ",<base64>";
                rejectIfSet(scheme, "header", header, why);
                rejectIfSet(scheme, "prefix", prefix, why);
                rejectIfSet(scheme, "encoding", encoding, why);
            }
            default -> throw HeraldException.invalid("signature.scheme", "unknown scheme '" + Excerpt.of(scheme)
                    + "'; expected one of hmac-sha256, standard-webhooks, standard-webhooks-ed25519, timestamped");
        }
    }

    /** hmac-sha256, {@code X-Webhook-Signature}, no prefix, hex. */
    public static SignatureSpec defaults() {
        return new SignatureSpec(null, null, null, null);
    }

    /** Parses the API's {@code signature} object; null, missing or JSON null means the defaults. */
    public static SignatureSpec fromJson(JsonNode node) {
        SignatureSpec spec = parse(node);
        if (spec.header != null) {
            HeaderRules.checkName(spec.header, "signature.header");
        }
        if (spec.prefix != null) {
            HeaderRules.checkValue(spec.prefix, "signature.prefix", MAX_PREFIX);
        }
        return spec;
    }

    /**
     * The object's fields checked as the record does, without {@link HeaderRules}: a row stored
     * before those rules still loads (its delivery drops a {@code Camel*} header, SetRequest).
     */
    private static SignatureSpec parse(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return defaults();
        }
        if (!node.isObject()) {
            throw HeraldException.invalid("signature", "must be a JSON object such as {\"scheme\":\"hmac-sha256\"}");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw HeraldException.invalid("signature." + unknown.get(0), "unknown field(s) "
                    + Excerpt.of(String.join(", ", unknown)) + " in signature; allowed: " + String.join(", ", FIELDS));
        }
        return new SignatureSpec(text(node, "scheme"), text(node, "header"), text(node, "prefix"),
                text(node, "encoding"));
    }

    /** The API view: only the fields meaningful for the scheme. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("scheme", scheme);
        if (header != null) {
            node.put("header", header);
        }
        if (prefix != null) {
            node.put("prefix", prefix);
        }
        if (encoding != null) {
            node.put("encoding", encoding);
        }
        return node;
    }

    /** Compact JSON for the database column. */
    public String toStoredJson() {
        return toJson().toString();
    }

    /** Reads {@link #toStoredJson()}'s output back; null or blank means the defaults. */
    public static SignatureSpec fromStoredJson(String json) {
        if (json == null || json.isBlank()) {
            return defaults();
        }
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException | HeraldException e) {
            // It was validated on the way in: failing here means the stored row is corrupt, not bad input.
            throw new IllegalStateException("stored signature spec is unreadable: " + json, e);
        }
    }

    public SignatureDialect dialect() {
        return switch (scheme) {
            case STANDARD_WEBHOOKS -> new StandardWebhooksDialect();
            case STANDARD_WEBHOOKS_ED25519 -> StandardWebhooksEd25519Dialect.INSTANCE;
            case TIMESTAMPED -> new TimestampedDialect(header);
            default -> new HmacSha256Dialect(header, prefix, HmacSha256Dialect.Encoding.of(encoding));
        };
    }

    /**
     * The header names this dialect writes, so callers can refuse extra static headers that clash
     * (compare case-insensitively: HTTP header names are).
     */
    public List<String> signatureHeaderNames() {
        if (STANDARD_WEBHOOKS.equals(scheme) || STANDARD_WEBHOOKS_ED25519.equals(scheme)) {
            return List.of(StandardWebhooksDialect.ID_HEADER, StandardWebhooksDialect.TIMESTAMP_HEADER,
                    StandardWebhooksDialect.SIGNATURE_HEADER);
        }
        return List.of(header);
    }

    /**
     * Whether the webhook signs with a key pair (its secret a {@code whsk_} key Herald generated, its
     * receivers holding the public key) rather than a secret shared with its receivers.
     */
    public boolean signsWithKeyPair() {
        return STANDARD_WEBHOOKS_ED25519.equals(scheme);
    }

    /** A new secret for this scheme: a {@code whsk_} key for a key pair, else a {@code whsec_} secret. */
    public String newSecret() {
        return signsWithKeyPair() ? Ed25519Keys.generate() : Secrets.generate();
    }

    /** Refuses a secret the API was given ({@code field}) where Herald alone makes the secret key. */
    public void refuseGivenSecret(String field) {
        if (signsWithKeyPair()) {
            throw HeraldException.invalid(field, "generated by Herald for " + STANDARD_WEBHOOKS_ED25519
                    + ": remove secret (receivers verify with the webhook's public_key)");
        }
    }

    /** Checks a secret can sign under this scheme; throws {@code invalid("secret", ...)} if not. */
    public void validateSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw HeraldException.invalid("secret", "must not be empty");
        }
        if (signsWithKeyPair()) {
            if (!Ed25519Keys.isSecretKey(secret)) {
                throw HeraldException.invalid("secret", "scheme " + scheme + " signs with a whsk_ key Herald generates");
            }
            return;
        }
        if (STANDARD_WEBHOOKS.equals(scheme)) {
            validateStandardWebhooksSecret(secret);
            return;
        }
        if (secret.length() > MAX_SECRET) {
            throw HeraldException.invalid("secret", "must be at most " + MAX_SECRET + " characters");
        }
        if (!isPrintableAscii(secret)) {
            throw HeraldException.invalid("secret", "must contain printable ASCII characters only (0x20-0x7E)");
        }
    }

    private static void validateStandardWebhooksSecret(String secret) {
        String expected = "scheme standard-webhooks needs a secret of the form whsec_<base64 of 24 to 64 random"
                + " bytes>, e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        if (!secret.startsWith(StandardWebhooksDialect.SECRET_PREFIX)) {
            throw HeraldException.invalid("secret", expected + "; the whsec_ prefix is missing");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(StandardWebhooksDialect.SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw HeraldException.invalid("secret", expected + "; the part after whsec_ is not valid base64");
        }
        if (key.length < 24 || key.length > 64) {
            throw HeraldException.invalid("secret", expected + "; it decodes to " + key.length + " bytes");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw HeraldException.invalid("signature." + field, "must be a string");
        }
        return value.textValue();
    }

    private static void rejectIfSet(String scheme, String field, String value, String why) {
        if (value != null) {
            throw HeraldException.invalid("signature." + field, field + " is not configurable for scheme "
                    + scheme + ": " + why + "; remove it");
        }
    }

    private static String checkHeader(String header) {
        HeaderRules.checkSyntax(header, "signature.header");
        return header;
    }

    private static String checkPrefix(String prefix) {
        if (prefix.length() > MAX_PREFIX) {
            throw HeraldException.invalid("signature.prefix", "must be at most " + MAX_PREFIX + " characters");
        }
        if (!isPrintableAscii(prefix)) {
            throw HeraldException.invalid("signature.prefix", "must contain printable ASCII characters only"
                    + " (0x20-0x7E), no control characters");
        }
        // HTTP strips leading whitespace from header values, so the receiver would never see it.
        if (prefix.startsWith(" ")) {
            throw HeraldException.invalid("signature.prefix", "must not start with a space");
        }
        return prefix;
    }

    private static String checkEncoding(String encoding) {
        if (!encoding.equals("hex") && !encoding.equals("base64")) {
            throw HeraldException.invalid("signature.encoding", "unknown encoding '" + Excerpt.of(encoding)
                    + "'; expected hex or base64");
        }
        return encoding;
    }

    private static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
