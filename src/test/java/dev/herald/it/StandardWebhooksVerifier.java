package dev.herald.it;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;

/**
 * A receiver's verifier of Standard Webhooks asymmetric signatures, written from the specification
 * (standard-webhooks spec/standard-webhooks.md, "Verifying webhooks" and "Signature scheme"), sharing
 * no code with Herald: the three headers are required; the timestamp must be within 5 minutes of
 * now; the signed content is {@code id.timestamp.body}; the signature header is a space-separated
 * list of {@code version,signature}, of which the {@code v1a} ones are Ed25519 over that content;
 * the request is valid if any of them verifies. The public key is read as RFC 8032 writes it (the
 * y coordinate little-endian, the top bit of the last byte the parity of x).
 */
final class StandardWebhooksVerifier {

    static final long TOLERANCE_SECONDS = 5 * 60;

    private final PublicKey key;

    StandardWebhooksVerifier(String whpk) throws Exception {
        byte[] raw = Base64.getDecoder().decode(whpk.substring(whpk.indexOf('_') + 1));
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
        }
        boolean xOdd = (raw[31] & 0x80) != 0;
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = raw[31 - i];
        }
        bigEndian[0] &= 0x7f;
        key = KeyFactory.getInstance("Ed25519").generatePublic(
                new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, bigEndian))));
    }

    /** Whether the request is one the key's holder signed, now. */
    boolean verify(String id, String timestamp, String signatures, byte[] body) throws Exception {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long t;
        try {
            t = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - t) > TOLERANCE_SECONDS) {
            return false;
        }
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        for (String entry : signatures.split(" ")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1a")) {
                continue;
            }
            byte[] signature;
            try {
                signature = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            Signature ed = Signature.getInstance("Ed25519");
            ed.initVerify(key);
            ed.update(prefix);
            ed.update(body);
            try {
                if (ed.verify(signature)) {
                    return true;
                }
            } catch (java.security.SignatureException e) {
                // not a signature at all (wrong length): this entry does not verify
            }
        }
        return false;
    }
}
