package dev.herald.signing;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Standard Webhooks, asymmetric (v1a): {@code webhook-id}, {@code webhook-timestamp} and
 * {@code webhook-signature: v1a,<base64(Ed25519(secret key, id.timestamp.body))>}, one
 * space-separated signature per secret key during rotation (current first). Receivers verify with
 * the public key alone ({@link Ed25519Keys}), so they hold nothing that could forge a delivery.
 * One instance serves every webhook: it keeps the parsed keys, so an attempt does not derive its
 * key again from the {@code whsk_} text.
 */
public final class StandardWebhooksEd25519Dialect implements SignatureDialect {

    static final StandardWebhooksEd25519Dialect INSTANCE = new StandardWebhooksEd25519Dialect();

    /** Parsed keys kept; beyond it the least recently used goes (it is parsed again when next needed). */
    private static final int MAX_KEYS = 4096;

    private final BoundedCache<PrivateKey> keys = new BoundedCache<>(MAX_KEYS);

    @Override
    public Map<String, String> sign(SigningInput in) {
        String id = Objects.requireNonNull(in.messageId(), "standard-webhooks needs a message id");
        String timestamp = Long.toString(in.timestampSeconds());
        byte[] signedPrefix = HmacSha256Dialect.utf8(id + "." + timestamp + ".");
        StringJoiner signatures = new StringJoiner(" ");
        for (String secret : in.secrets()) {
            signatures.add("v1a," + Base64.getEncoder().encodeToString(sign(key(secret), signedPrefix, in.body())));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(StandardWebhooksDialect.ID_HEADER, id);
        headers.put(StandardWebhooksDialect.TIMESTAMP_HEADER, timestamp);
        headers.put(StandardWebhooksDialect.SIGNATURE_HEADER, signatures.toString());
        return headers;
    }

    private PrivateKey key(String secret) {
        return keys.get(secret, Ed25519Keys::privateKey);
    }

    /** Ed25519 (pure, RFC 8032) over the concatenation of {@code parts}. */
    static byte[] sign(PrivateKey key, byte[]... parts) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            for (byte[] part : parts) {
                signature.update(part);
            }
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
