package dev.herald.signing;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Standard Webhooks (Svix): {@code webhook-id}, {@code webhook-timestamp} and
 * {@code webhook-signature: v1,<base64(HMAC(key, id.timestamp.body))>}, one space-separated
 * signature per secret during rotation (current first); receivers accept any that matches.
 * The key is the base64-decoded secret after its {@code whsec_} prefix.
 */
public final class StandardWebhooksDialect implements SignatureDialect {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    static final String SECRET_PREFIX = "whsec_";

    @Override
    public Map<String, String> sign(SigningInput in) {
        String id = Objects.requireNonNull(in.messageId(), "standard-webhooks needs a message id");
        String timestamp = Long.toString(in.timestampSeconds());
        byte[] signedPrefix = HmacSha256Dialect.utf8(id + "." + timestamp + ".");
        StringJoiner signatures = new StringJoiner(" ");
        for (String secret : in.secrets()) {
            byte[] mac = HmacSha256Dialect.hmacSha256(key(secret), signedPrefix, in.body());
            signatures.add("v1," + Base64.getEncoder().encodeToString(mac));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, id);
        headers.put(TIMESTAMP_HEADER, timestamp);
        headers.put(SIGNATURE_HEADER, signatures.toString());
        return headers;
    }

    /** The HMAC key: base64 of the secret without {@code whsec_} (as the reference libraries do). */
    static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
